package jetstream

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-wsc/go-wsc/store"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Store is store.Store over NATS JetStream (doc.go).
type Store struct {
	opts  Options
	n     names
	js    jetstream.JetStream
	off   jetstream.Stream
	hist  jetstream.Stream
	kvSeq jetstream.KeyValue
	s     *sender

	// owner goroutine only (the Offline and Sequences methods)
	mir     *mirror
	seqs    map[string]*seqStream
	loading map[string]*loadState

	inboxMu sync.Mutex
	inbox   []*loaded // users' backlogs read by LoadOffline, for the owner to merge

	recMu   sync.Mutex
	records map[string]func() ([]byte, error) // coalescing; nil value: delete

	recordErrors atomic.Int64
	fromLeader   atomic.Int64 // messages a read took from the leader, its consumer's replica lagging (read.go)
	closeOnce    sync.Once
}

var _ store.Store = (*Store)(nil)

// Open creates (or updates) the streams and buckets, reads the offline
// messages into memory and starts the sender. The caller keeps nc: Close
// does not close it (close it after Close).
func Open(ctx context.Context, nc *nats.Conn, opts Options) (*Store, error) {
	if nc == nil {
		return nil, errors.New("wsc: jetstream store: no NATS connection")
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	n, err := newNames(opts.Prefix)
	if err != nil {
		return nil, err
	}
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncTimeout(opts.Timeout),
		jetstream.WithPublishAsyncMaxPending(2*opts.MaxInflight), jetstream.WithDefaultTimeout(opts.Timeout))
	if err != nil {
		return nil, fmt.Errorf("wsc: jetstream store: %w", err)
	}
	st := &Store{opts: opts, n: n, js: js, mir: newMirror(), seqs: map[string]*seqStream{},
		loading: map[string]*loadState{}, records: map[string]func() ([]byte, error){}}
	if err := st.create(ctx); err != nil {
		return nil, fmt.Errorf("wsc: jetstream store %q: %w", opts.Prefix, err)
	}
	if err := st.loadAll(ctx); err != nil {
		return nil, fmt.Errorf("wsc: jetstream store %q: reading the offline messages: %w", opts.Prefix, err)
	}
	sjs := js
	if opts.wrapJS != nil {
		sjs = opts.wrapJS(js)
	}
	st.s = newSender(sjs, opts, st.flushRecords)
	return st, nil
}

// create makes the streams and buckets, or updates their limits.
func (st *Store) create(ctx context.Context) error {
	o, n := st.opts, st.n
	var err error
	st.off, err = st.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: n.offStream, Subjects: []string{n.offSubj + ">"}, Storage: jetstream.FileStorage, Replicas: o.Replicas,
		// the mirror enforces the bounds and reports what it evicts; these are
		// the server's backstop when several nodes store for one user
		MaxMsgsPerSubject: int64(o.OfflinePerUser), MaxMsgs: -1, MaxBytes: -1, Discard: jetstream.DiscardOld,
	})
	if err != nil {
		return fmt.Errorf("stream %s: %w", n.offStream, err)
	}
	st.hist, err = st.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: n.histStream, Subjects: []string{n.histSubj + ">"}, Storage: jetstream.FileStorage, Replicas: o.Replicas,
		MaxMsgsPerSubject: int64(o.HistoryPerUser), MaxAge: o.HistoryTTL, MaxMsgs: -1, MaxBytes: -1, Discard: jetstream.DiscardOld,
	})
	if err != nil {
		return fmt.Errorf("stream %s: %w", n.histStream, err)
	}
	kv := func(bucket string, ttl time.Duration) (jetstream.KeyValue, error) {
		b, err := st.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: bucket, Storage: jetstream.FileStorage,
			Replicas: o.Replicas, TTL: ttl, LimitMarkerTTL: o.MarkerTTL})
		if err != nil {
			return nil, fmt.Errorf("bucket %s: %w", bucket, err)
		}
		return b, nil
	}
	// the pending, tickets and records buckets are read through their
	// streams (readKV), written by subject (put, purge): no handle is kept
	if _, err = kv(n.pending, 0); err != nil {
		return err
	}
	if st.kvSeq, err = kv(n.seq, 0); err != nil {
		return err
	}
	if _, err = kv(n.tick, 0); err != nil {
		return err
	}
	_, err = kv(n.recs, o.RecordTTL)
	return err
}

// Close implements store.Store: it writes the exact last number of every
// loaded sequence and what records are coalescing, waits for every PubAck,
// and stops the sender. It does not close the NATS connection. Idempotent.
func (st *Store) Close() error {
	st.closeOnce.Do(func() {
		for stream := range st.seqs {
			st.EvictSeq(stream)
		}
		st.s.close()
	})
	return nil
}

// Stats implements store.Store. Commits counts PubAcks; HistorySwept stays
// zero (JetStream trims the history itself).
func (st *Store) Stats() store.Stats {
	return store.Stats{Commits: st.s.acks.Load(), Ops: st.s.ops.Load(), Failed: st.s.failed.Load(),
		Queued: st.s.queued.Load(), QueuedBytes: st.s.queuedBytes.Load(),
		OfflineMsgs: int(st.mir.count.Load()), OfflineBytes: st.mir.size.Load(), RecordErrors: st.recordErrors.Load()}
}

// check refuses an empty or oversized key.
func (st *Store) check(what, s string) error {
	if s == "" || len(s) > st.opts.MaxKey {
		return fmt.Errorf("%w: %s of %d bytes", store.ErrInvalid, what, len(s))
	}
	return nil
}

// purge is the op that deletes key from bucket: a purge marker (rollup of
// the key) that JetStream removes after MarkerTTL. Sent once the writes
// before it to other streams are acknowledged.
func (st *Store) purge(bucket, key string, done store.Done) *op {
	m := nats.NewMsg(kvSubject(bucket, key))
	m.Header.Set("KV-Operation", "PURGE")
	m.Header.Set(jetstream.MsgRollup, jetstream.MsgRollupSubject)
	return &op{msg: m, stream: bucket, pubOpts: []jetstream.PublishOpt{jetstream.WithMsgTTL(st.opts.MarkerTTL)}, barrier: true, after: done}
}

// put is the op that writes val under key in bucket.
func put(bucket, key string, val []byte, done store.Done) *op {
	return &op{msg: &nats.Msg{Subject: kvSubject(bucket, key), Data: val}, stream: bucket, after: done, bytes: int64(len(val))}
}
