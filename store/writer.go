package store

import (
	"sync"
	"sync/atomic"
	"time"
)

// The writer: every write and every disk read of a DB is an op on one queue,
// applied in order by one goroutine. It takes everything queued since its
// last commit into the next transaction (group commit: one fsync for many
// writes), commits at once when an op has a caller waiting, and otherwise
// waits up to FlushInterval for company. The owner never waits for it.
//
// The queue is a slice behind a mutex rather than a channel: enqueueing must
// never block the owner (a full channel would) and a delete must never be
// refused (it only shrinks what is kept); the mutex is held for an append.
//
// History and records are lazy: a commit made now for a waiting caller
// leaves them queued, and they go with the next commit that is due (at most
// FlushInterval after they were queued), many together. So the commits a
// caller waits for (a pending ack, an offline message) carry only the writes
// of those kinds, and touch a few pages rather than one for every user's
// history and every record (on the ACK workload that was most of bbolt's
// work), and a record that changes several times in FlushInterval is encoded
// and written once. Lazy writes keep their order among themselves; they may
// reach the disk after later writes of the other kinds, which never depend
// on them. A read of lazy data (ReadHistory, a start-up load) takes every
// queued op along.

// op is one write or read. apply runs inside the transaction, on the writer
// goroutine; after runs there too, after the commit, with its outcome.
type op struct {
	apply  func(Tx) error
	after  func(err error)
	urgent bool  // a caller waits: commit now
	lazy   bool  // history or records: may wait for the next due commit
	all    bool  // (urgent) needs the lazy ops queued before it applied first
	bytes  int64 // data carried, counted against MaxQueueBytes
	// bounded: refused (ErrBusy) when its bytes would take the queue past
	// MaxQueueBytes, checked under the same lock as the append.
	bounded bool
}

// txHooks is what the writer tells the DB of its transactions.
type txHooks interface {
	// beforeCommit runs inside every transaction, after its ops.
	beforeCommit(Tx) error
	// afterCommit runs after every transaction with the commit's outcome.
	afterCommit(err error)
}

type writer struct {
	eng   Engine
	flush time.Duration
	max   int64
	// every is called from the writer goroutine each period (it enqueues).
	period time.Duration
	every  func()
	// tx is told, on the writer goroutine, of each transaction's end: the
	// DB writes what its ops gathered (the history log's segment) and, after
	// a failed commit, forgets what its writer-side state had followed of the
	// transaction the engine undid.
	tx txHooks

	mu          sync.Mutex
	queue       []*op // guarded by mu
	queuedBytes int64 // guarded by mu
	// outside is the bytes queued beside the ops (the history's queue and
	// the records', histqueue.go and records.go), counted against max with
	// queuedBytes. Atomics, not under mu: the recorder reserves once per
	// record, and the hub's goroutine once per message; concurrent
	// reservations may pass max by one entry each. One counter per queue,
	// each on a cache line of its own: with one counter the hub's goroutine
	// and the recorder's each added to the same line once a message, on
	// different cores (disk only: -memory queues no records).
	outside [outQueues]outCount
	urgent  bool // guarded by mu: some queued op is urgent
	all     bool // guarded by mu: some queued op is urgent and all
	closed  bool // guarded by mu

	kick    chan struct{} // capacity 1: "the queue changed"
	stopped chan struct{} // closed when run returns

	commits, ops, failed, queued, qbytes atomic.Int64
}

// newWriter returns a writer not yet running: the caller starts it (go
// w.run()) once every can reach it, since every may run at once.
func newWriter(eng Engine, flush time.Duration, maxBytes int64, period time.Duration, every func(), tx txHooks) *writer {
	return &writer{eng: eng, flush: flush, max: maxBytes, period: period, every: every, tx: tx,
		kick: make(chan struct{}, 1), stopped: make(chan struct{})}
}

// room says whether n more bytes may be queued now.
func (w *writer) room(n int64) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case w.closed:
		return ErrClosed
	case n > 0 && w.queuedBytes+w.outsideNow()+n > w.max:
		return ErrBusy
	}
	return nil
}

// The queues beside the ops, each with its outside counter.
const (
	outHistory = iota
	outRecords
	outQueues
)

// outCount is a counter alone on its cache line (and the next: the
// adjacent-line prefetcher pairs them).
type outCount struct {
	_ [128]byte
	n atomic.Int64
}

// outsideNow is the bytes queued beside the ops.
func (w *writer) outsideNow() int64 {
	return w.outside[outHistory].n.Load() + w.outside[outRecords].n.Load()
}

// reserve counts n bytes queued beside the ops (in queue q) against
// MaxQueueBytes, or refuses them (ErrBusy), as enqueue does a bounded op's;
// release gives them back once the writer has taken them.
func (w *writer) reserve(q int, n int64) error {
	if w.qbytes.Load()+w.outsideNow()+n > w.max {
		return ErrBusy
	}
	w.outside[q].n.Add(n)
	return nil
}

func (w *writer) release(q int, n int64) { w.outside[q].n.Add(-n) }

// queuedNow is the bytes that count against MaxQueueBytes now (Stats).
func (w *writer) queuedNow() int64 { return w.qbytes.Load() + w.outsideNow() }

// enqueue adds o; after a close it fails, and o.after hears ErrClosed at
// once; a bounded op past MaxQueueBytes fails with ErrBusy (one lock for the
// check and the append: history and records are queued once per message,
// on the hub's and the recorder's goroutines).
func (w *writer) enqueue(o *op) error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		if o.after != nil {
			o.after(ErrClosed)
		}
		return ErrClosed
	}
	if o.bounded && o.bytes > 0 && w.queuedBytes+w.outsideNow()+o.bytes > w.max {
		w.mu.Unlock()
		return ErrBusy // a bounded op has no after: its caller hears the error
	}
	w.queue = append(w.queue, o)
	w.queuedBytes += o.bytes
	w.urgent = w.urgent || o.urgent
	w.all = w.all || (o.urgent && o.all)
	w.queued.Store(int64(len(w.queue)))
	w.qbytes.Store(w.queuedBytes)
	w.mu.Unlock()
	select {
	case w.kick <- struct{}{}:
	default: // a kick is already waiting
	}
	return nil
}

// run is the writer goroutine.
func (w *writer) run() {
	defer close(w.stopped)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	armed, due := false, false
	tick := time.NewTicker(w.period)
	defer tick.Stop()
	for {
		select {
		case <-w.kick:
		case <-timer.C:
			armed, due = false, true
		case <-tick.C:
			w.every()
			continue
		}
		w.mu.Lock()
		batch, closing := w.queue, w.closed
		if len(batch) > 0 && !w.urgent && !due && !closing {
			w.mu.Unlock() // write-behind only: wait for company, at most flush
			if !armed {
				timer.Reset(w.flush)
				armed = true
			}
			continue
		}
		var lazy []*op
		if !w.all && !due && !closing { // a caller waits: the lazy ops wait for the next due commit
			batch, lazy = split(batch)
		}
		w.queue, w.queuedBytes, w.urgent, w.all = lazy, bytesOf(lazy), false, false
		w.queued.Store(int64(len(lazy)))
		w.qbytes.Store(w.queuedBytes)
		w.mu.Unlock()
		due = false
		if len(lazy) > 0 && !armed {
			timer.Reset(w.flush)
			armed = true
		}
		if len(batch) > 0 {
			w.commit(batch)
		}
		if closing {
			timer.Stop()
			return
		}
	}
}

// split separates the lazy ops from the others, each in queue order.
func split(queue []*op) (now, lazy []*op) {
	now = make([]*op, 0, len(queue))
	for _, o := range queue {
		if o.lazy {
			lazy = append(lazy, o)
		} else {
			now = append(now, o)
		}
	}
	return now, lazy
}

func bytesOf(ops []*op) int64 {
	n := int64(0)
	for _, o := range ops {
		n += o.bytes
	}
	return n
}

// commit applies batch in one transaction and tells each op how it went.
func (w *writer) commit(batch []*op) {
	err := w.eng.Update(func(tx Tx) error {
		for _, o := range batch {
			if o.apply == nil {
				continue
			}
			if err := o.apply(tx); err != nil {
				return err
			}
		}
		return w.tx.beforeCommit(tx)
	})
	w.tx.afterCommit(err)
	w.commits.Add(1)
	w.ops.Add(int64(len(batch)))
	if err != nil {
		w.failed.Add(int64(len(batch)))
	}
	for _, o := range batch {
		if o.after != nil {
			o.after(err)
		}
	}
}

// close refuses new ops, lets the writer commit what is queued and waits for it.
func (w *writer) close() {
	w.mu.Lock()
	already := w.closed
	w.closed = true
	w.mu.Unlock()
	if !already {
		select {
		case w.kick <- struct{}{}:
		default:
		}
	}
	<-w.stopped
}

// wait runs apply on the writer goroutine, in queue order, and waits for it
// (start-up reads: the owner routes nothing yet).
func (w *writer) wait(apply func(Tx) error) error {
	done := make(chan error, 1)
	if err := w.enqueue(&op{apply: apply, urgent: true, all: true, after: func(err error) { done <- err }}); err != nil {
		return err
	}
	return <-done
}
