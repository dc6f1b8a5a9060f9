package jetstream

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-wsc/go-wsc/store"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// The sender: every write, every delete and every read of a Store is an op
// on one queue, taken in order by one goroutine. A put is published at once
// (PublishAsync) and its PubAck awaited in a FIFO, so that Done callbacks run
// in the order the writes were made. A delete, a request (a KV
// compare-and-set) and a read first wait until every earlier write is
// acknowledged (a barrier): JetStream orders writes within one stream only,
// and the hub's "put it offline, then remove it from pending" must never
// leave a message in neither after a crash. The owner never waits for the
// sender: enqueueing takes a mutex for an append, and past MaxQueueBytes a
// put fails with store.ErrBusy.

// op is one write, request or read.
type op struct {
	msg     *nats.Msg              // publish it (PublishMsgAsync)
	pubOpts []jetstream.PublishOpt // with these options
	stream  string                 // msg: the stream it goes to
	// barrier: publish msg only once every earlier write to another stream
	// is acknowledged (JetStream keeps the order within one stream itself)
	barrier bool
	acked   func(*jetstream.PubAck)
	// run is a request, made on the sender goroutine after the barrier.
	run func(ctx context.Context) error
	// read runs on a goroutine of its own after the barrier (the sender goes on).
	read func(ctx context.Context)
	// long: run is a start-up load (LoadPending of many keys): it may take
	// longLoads times the Timeout
	long  bool
	after store.Done // nil: nobody waits
	bytes int64      // counted against MaxQueueBytes while queued
}

// noRetry: a publish that finds no stream leader (an election under way)
// fails at once instead of being sent again 250 ms later, behind writes made
// after it: within a stream, writes land in the order they were made.
var noRetry = []jetstream.PublishOpt{jetstream.WithRetryAttempts(0)}

// longLoads is how many Timeouts a start-up load may take.
const longLoads = 12

// inflight is a publish waiting for its PubAck (fut nil: done already, with err).
type inflight struct {
	fut jetstream.PubAckFuture
	err error
	o   *op
}

type sender struct {
	js       jetstream.JetStream
	timeout  time.Duration
	maxBytes int64
	maxAcks  int
	flush    time.Duration
	every    func() // sender goroutine, each flush period (records)

	mu     sync.Mutex
	queue  []*op // guarded by mu
	qbytes int64 // guarded by mu
	closed bool  // guarded by mu

	kick    chan struct{}
	stopped chan struct{}
	fifo    []inflight // sender goroutine only
	reads   sync.WaitGroup
	readSem chan struct{}

	acks, ops, failed, queued, queuedBytes atomic.Int64
	barrierWaits                           atomic.Int64 // barriers that found a write unacknowledged
}

func newSender(js jetstream.JetStream, o Options, every func()) *sender {
	s := &sender{js: js, timeout: o.Timeout, maxBytes: o.MaxQueueBytes, maxAcks: o.MaxInflight, flush: o.FlushInterval,
		every: every, kick: make(chan struct{}, 1), stopped: make(chan struct{}), readSem: make(chan struct{}, 8)}
	go s.run()
	return s
}

// room says whether n more bytes may be queued now.
func (s *sender) room(n int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return store.ErrClosed
	case n > 0 && s.qbytes+n > s.maxBytes:
		return store.ErrBusy
	}
	return nil
}

// enqueue adds o; after a close o.after hears store.ErrClosed at once.
func (s *sender) enqueue(o *op) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		if o.after != nil {
			o.after(store.ErrClosed)
		}
		return store.ErrClosed
	}
	s.queue = append(s.queue, o)
	s.qbytes += o.bytes
	s.queued.Store(int64(len(s.queue)))
	s.queuedBytes.Store(s.qbytes)
	s.mu.Unlock()
	select {
	case s.kick <- struct{}{}:
	default:
	}
	return nil
}

// wait runs fn as a request after every write queued before it, and waits
// for it (start-up and shutdown only).
func (s *sender) wait(fn func(ctx context.Context) error) error {
	ch := make(chan error, 1)
	if err := s.enqueue(&op{run: fn, long: true, after: func(err error) { ch <- err }}); err != nil {
		return err
	}
	return <-ch
}

// close lets the sender finish what is queued, waits for every PubAck and
// read, and stops it. Idempotent.
func (s *sender) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	select {
	case s.kick <- struct{}{}:
	default:
	}
	<-s.stopped
}

func (s *sender) run() {
	defer close(s.stopped)
	tick := time.NewTicker(s.flush)
	defer tick.Stop()
	for {
		s.mu.Lock()
		batch, closed := s.queue, s.closed
		s.queue, s.qbytes = nil, 0
		s.queued.Store(0)
		s.queuedBytes.Store(0)
		s.mu.Unlock()
		for _, o := range batch {
			s.do(o)
		}
		s.reap(false)
		if len(batch) > 0 {
			continue
		}
		if closed {
			s.every() // what is still coalescing
			s.reap(true)
			s.reads.Wait()
			return
		}
		var okc <-chan *jetstream.PubAck
		var errc <-chan error
		if len(s.fifo) > 0 && s.fifo[0].fut != nil {
			okc, errc = s.fifo[0].fut.Ok(), s.fifo[0].fut.Err()
		}
		select {
		case <-s.kick:
		case <-tick.C:
			s.every()
		case a := <-okc:
			s.complete(a, nil)
		case err := <-errc:
			s.complete(nil, err)
		}
	}
}

// do carries out one op (sender goroutine).
func (s *sender) do(o *op) {
	s.ops.Add(1)
	switch {
	case o.run != nil || o.read != nil:
		s.barrier("")
	case o.barrier:
		s.barrier(o.stream)
	}
	switch {
	case o.msg != nil:
		for len(s.fifo) >= s.maxAcks {
			s.reapOne()
		}
		opts := noRetry
		if o.pubOpts != nil {
			opts = append(o.pubOpts[:len(o.pubOpts):len(o.pubOpts)], noRetry...)
		}
		fut, err := s.js.PublishMsgAsync(o.msg, opts...)
		if err != nil {
			fut = nil
		}
		s.fifo = append(s.fifo, inflight{fut: fut, err: err, o: o})
	case o.run != nil:
		d := s.timeout
		if o.long {
			d *= longLoads
		}
		ctx, cancel := context.WithTimeout(context.Background(), d)
		err := o.run(ctx)
		cancel()
		s.finish(o, err)
	case o.read != nil:
		s.readSem <- struct{}{}
		s.reads.Add(1)
		go func() {
			defer func() { <-s.readSem; s.reads.Done() }()
			ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
			defer cancel()
			o.read(ctx)
		}()
	default: // a marker: its Done follows the writes before it
		s.fifo = append(s.fifo, inflight{o: o})
	}
}

// reap completes the head of the FIFO while it is done; with all, it waits
// for every entry.
func (s *sender) reap(all bool) {
	for len(s.fifo) > 0 {
		h := s.fifo[0]
		if h.fut == nil {
			s.complete(nil, h.err)
			continue
		}
		if all {
			s.reapOne()
			continue
		}
		select {
		case a := <-h.fut.Ok():
			s.complete(a, nil)
		case err := <-h.fut.Err():
			s.complete(nil, err)
		default:
			return
		}
	}
}

// barrier waits until no write to a stream other than stream ("": any)
// is unacknowledged.
func (s *sender) barrier(stream string) {
	s.reap(false)
	last := -1
	for i, f := range s.fifo {
		if stream == "" || f.o.stream != stream {
			last = i
		}
	}
	if last >= 0 {
		s.barrierWaits.Add(1)
	}
	for range last + 1 {
		s.reapOne()
	}
}

// reapOne waits for the head's PubAck (the publisher's timeout bounds it).
func (s *sender) reapOne() {
	h := s.fifo[0]
	if h.fut == nil {
		s.complete(nil, h.err)
		return
	}
	select {
	case a := <-h.fut.Ok():
		s.complete(a, nil)
	case err := <-h.fut.Err():
		s.complete(nil, err)
	}
}

// complete pops the head with its outcome.
func (s *sender) complete(a *jetstream.PubAck, err error) {
	h := s.fifo[0]
	s.fifo[0] = inflight{}
	s.fifo = s.fifo[1:]
	if h.fut != nil && err == nil {
		s.acks.Add(1)
		if h.o.acked != nil {
			h.o.acked(a)
		}
	}
	s.finish(h.o, err)
}

func (s *sender) finish(o *op, err error) {
	if err != nil {
		s.failed.Add(1)
	}
	if o.after != nil {
		o.after(err)
	}
}
