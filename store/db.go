package store

import (
	"encoding/binary"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/go-wsc/go-wsc/protocol"
)

// DB is the Store over an Engine: the offline messages and the loaded
// sequences in memory, owned by the caller's goroutine (the hub's mailbox);
// every write on the writer goroutine (writer.go).
type DB struct {
	cfg Config
	w   *writer
	// own is the DB's own view (its offline messages and loaded sequences,
	// owned by the caller's goroutine); views are every view, own first,
	// once Views has split the DB for several owners (views.go)
	own   *View
	views []*View
	tot   offTotals             // the offline store's totals over every view
	of    func(user string) int // the view of a user's offline messages (nil: own)
	hlog  histLog               // the history log's state: writer goroutine only
	rlog  recLog                // the records log's state: writer goroutine only
	// recs and hist are each on cache lines of their own (128 bytes: the
	// adjacent-line prefetcher pairs lines): the recorder's goroutine locks
	// recs twice a message, the hub's hist once, and the writer changes
	// rlog, hlog and the arena as it writes.
	_    [128]byte
	recs recQueue // record changes not yet taken by the writer (records.go)
	_    [128]byte
	hist histQueue // history entries not yet taken by the writer (histqueue.go)
	_    [128]byte
	// arena holds the logs' chunks until a commit; writer goroutine only.
	arena arena
	// swept and capped count the history entries deleted by age and by
	// HistoryMaxBytes.
	swept, capped atomic.Int64
	// recordErrors counts records that could not be queued or encoded.
	recordErrors atomic.Int64

	closeOnce sync.Once
	closeErr  error
}

var _ Store = (*DB)(nil)

// Open starts a DB over eng: it reads the offline messages back into memory
// and starts the writer. The DB owns eng from here on (Close closes it), also
// when Open fails.
func Open(eng Engine, cfg Config) (*DB, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		_ = eng.Close()
		return nil, err
	}
	d := &DB{cfg: cfg}
	d.own = d.newView()
	d.views = []*View{d.own}
	d.hlog.arena, d.rlog.arena = &d.arena, &d.arena
	d.w = newWriter(eng, cfg.FlushInterval, cfg.MaxQueueBytes, cfg.SweepInterval, d.sweepHistory, d)
	go d.w.run() // after d.w is set: its first sweep (d.w.enqueue) may come at once
	if err := d.w.wait(d.own.off.load); err != nil {
		d.w.close()
		_ = eng.Close()
		return nil, fmt.Errorf("wsc: store: reading the offline messages: %w", err)
	}
	if err := d.w.wait(func(tx Tx) error {
		if _, err := d.convertHistory(tx); err != nil {
			return err
		}
		return d.convertRecords(tx)
	}); err != nil {
		d.w.close()
		_ = eng.Close()
		return nil, fmt.Errorf("wsc: store: moving the history and records to their logs: %w", err)
	}
	return d, nil
}

// OpenMemory is a DB over a fresh memory engine: today's in-memory behaviour
// behind the same interface.
func OpenMemory(cfg Config) (*DB, error) { return Open(NewMemoryEngine(), cfg) }

// Close implements Store.
func (d *DB) Close() error {
	d.closeOnce.Do(func() {
		for _, v := range d.views {
			for stream := range v.seqs {
				v.EvictSeq(stream)
			}
		}
		d.w.close()
		d.closeErr = d.w.eng.Close()
	})
	return d.closeErr
}

// Stats implements Store.
func (d *DB) Stats() Stats {
	recs := d.queuedRecords() + d.queuedHistory()
	return Stats{Commits: d.w.commits.Load(), Ops: d.w.ops.Load(), Failed: d.w.failed.Load(),
		Queued: d.w.queued.Load() + recs, QueuedBytes: d.w.queuedNow(),
		OfflineMsgs: int(d.tot.count.Load()), OfflineBytes: d.tot.size.Load(), HistorySwept: d.swept.Load(), HistoryCapped: d.capped.Load(),
		RecordErrors: d.recordErrors.Load()}
}

// check refuses an empty or oversized key.
func (d *DB) check(what, s string) error {
	if s == "" || len(s) > d.cfg.MaxKey {
		return fmt.Errorf("%w: %s of %d bytes", ErrInvalid, what, len(s))
	}
	return nil
}

// encode is data when the caller has it (the hub's frame bytes), else m's JSON.
func encode(m *protocol.Message, data []byte) ([]byte, error) {
	if data != nil {
		return data, nil
	}
	return protocol.Encode(m)
}

func be64(n uint64) []byte { return binary.BigEndian.AppendUint64(make([]byte, 0, 8), n) }

// decodeAt decodes a stored message, naming where it was on a failure.
func decodeAt(b Bucket, group string, data []byte) (*protocol.Message, error) {
	m, err := protocol.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s entry of %q: %v", ErrCorrupt, b, group, err)
	}
	return m, nil
}
