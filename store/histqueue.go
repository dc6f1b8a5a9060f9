package store

import "sync"

// History appends do not queue an op each: they go to histQueue, and one
// op in the writer's queue (lazy, like every history write) takes every
// entry queued when the writer applies it, as the records do (records.go).
// An op, its closure and a wake of the writer for every routed message were
// the history's whole cost on the hub's goroutine (AppendHistory, 3.5% of
// wsc-server's CPU under alone-p2p); now an append is a lock and a slice
// append, and the writer is woken once per commit.
// The carrier op is queued under the queue's lock, so an append that finds
// one carried knows it is already in the writer's queue: a read of the
// history (ReadHistory, an op that has the lazy ops before it applied
// first) sees every append made before it.

// histQueue holds the history entries the writer has not taken yet.
type histQueue struct {
	mu      sync.Mutex
	entries []histPending // guarded by mu
	bytes   int64         // guarded by mu: reserved with the writer (MaxQueueBytes)
	carried bool          // guarded by mu: an op that takes entries is in the writer's queue
}

// queueHistory adds one entry, reserving its bytes against MaxQueueBytes (past it
// the entry is dropped: a history entry is worth less than refusing the
// message), and queues the carrier op unless one is queued.
func (d *DB) queueHistory(e histPending, n int64) {
	if d.w.reserve(outHistory, n) != nil {
		return
	}
	q := &d.hist
	q.mu.Lock()
	defer q.mu.Unlock()
	q.entries = append(q.entries, e)
	q.bytes += n
	if q.carried {
		return
	}
	// enqueued under q.mu (q.mu before w.mu, never the other way): an append
	// that finds carried set knows the op is already in the writer's queue
	q.carried = true
	if err := d.w.enqueue(&op{lazy: true, apply: d.carryHistory}); err != nil { // closed
		clear(q.entries)
		q.entries, q.carried = q.entries[:0], false
		d.w.release(outHistory, q.bytes)
		q.bytes = 0
	}
}

// carryHistory is the carrier op's apply: every queued entry goes into this
// transaction's segment, and the next append queues another carrier.
func (d *DB) carryHistory(Tx) error {
	q := &d.hist
	q.mu.Lock()
	entries, n := q.entries, q.bytes
	// the log's spare slice, emptied, if it has one: a new slice grown by
	// append each take was 210 bytes allocated a message under bench/'s
	// alone-p2p, a tenth of wsc-server's; the log keeps only a small one
	// (histLog.reset), so a burst's does not hold the heap higher
	q.entries, q.bytes, q.carried = d.hlog.takeSpare(), 0, false
	q.mu.Unlock()
	d.w.release(outHistory, n)
	d.hlog.addAll(entries)
	return nil
}

// queuedHistory is how many history entries wait beyond the ops queued (for
// Stats: each counts as an op, the carrier op does not).
func (d *DB) queuedHistory() int64 {
	q := &d.hist
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.entries) == 0 {
		return 0
	}
	return int64(len(q.entries)) - 1
}
