package load

import (
	"errors"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// tally counts the receivers that still miss messages; done closes when the
// last one has all it expects, and endNs is when that happened.
type tally struct {
	received atomic.Int64 // expected messages received so far, all receivers
	// broadcasts is how many broadcasts the callers made, each addressed to
	// every healthy receiver.
	broadcasts atomic.Int64
	remaining  atomic.Int64
	done       chan struct{}
	endNs      atomic.Int64
}

func newTally(n int) *tally {
	t := &tally{done: make(chan struct{})}
	t.remaining.Store(int64(n))
	if n == 0 {
		close(t.done)
	}
	return t
}

func (t *tally) finished(now int64) {
	if t.remaining.Add(-1) == 0 {
		t.endNs.Store(now)
		close(t.done)
	}
}

// receiver reads one connection and records each expected message once.
// Its fields are read only after its goroutine has returned.
type receiver struct {
	conn     *websocket.Conn
	expected int
	got      []bool
	n        int
	frames   int // WebSocket frames read: fewer than messages when a hub batches
	dups     int
	lat      []int64 // nanoseconds
	last     int64   // unix nanos of the last expected message
	end      error   // how the read loop ended

	// progress is how many expected messages have arrived, for the sender's
	// window; moved says it changed (capacity 1, never blocks the reader).
	progress atomic.Int64
	moved    chan struct{}
	// sent is how many messages its partner wrote to the hub for it (p2p).
	sent atomic.Int64
}

// newReceiver expects expected of the messages numbered 0..msgs-1.
func newReceiver(c *websocket.Conn, msgs, expected int) *receiver {
	return &receiver{conn: c, expected: expected, got: make([]bool, msgs), lat: make([]int64, 0, expected),
		moved: make(chan struct{}, 1)}
}

// run reads until the connection ends; t (nil for a drain) hears when the
// receiver has everything.
func (r *receiver) run(t *tally) {
	for {
		_, data, err := r.conn.ReadMessage()
		if err != nil {
			r.end = err
			return
		}
		r.take(data, t)
	}
}

// take counts the messages of one frame: one object, or a batch (a JSON array
// of them, from a hub that packs what is queued for a connection).
func (r *receiver) take(data []byte, t *tally) {
	r.frames++
	for _, m := range splitBatch(data) {
		r.takeOne(m, t)
	}
}

func (r *receiver) takeOne(data []byte, t *tally) {
	seq, sent, ok := parseContent(data)
	if !ok || seq < 0 || seq >= len(r.got) {
		return
	}
	if r.got[seq] {
		r.dups++
		return
	}
	now := time.Now().UnixNano()
	r.got[seq] = true
	r.n++
	r.lat = append(r.lat, now-sent)
	r.last = now
	r.progress.Add(1)
	select {
	case r.moved <- struct{}{}:
	default:
	}
	if t == nil {
		return
	}
	t.received.Add(1)
	if r.n == r.expected {
		t.finished(now)
	}
}

// drain reads what a slow client is sent once it starts reading: until the
// connection ends, or nothing has come for idle, or max has passed.
func (r *receiver) drain(idle, max time.Duration) {
	stop := time.Now().Add(max)
	for {
		d := time.Now().Add(idle)
		if d.After(stop) {
			d = stop
		}
		_ = r.conn.SetReadDeadline(d)
		_, data, err := r.conn.ReadMessage()
		if err != nil {
			r.end = err
			return
		}
		r.take(data, nil)
	}
}

// await blocks while seq-window messages or more are in flight to r: until r
// moves, for at most stall without a move (false: give up), or until deadline.
func (r *receiver) await(seq, window int, stall time.Duration, deadline time.Time) bool {
	for int64(seq)-r.progress.Load() >= int64(window) {
		wait := min(stall, time.Until(deadline))
		if wait <= 0 {
			return false
		}
		t := time.NewTimer(wait)
		select {
		case <-r.moved:
			t.Stop()
		case <-t.C:
			return false
		}
	}
	return true
}

// outcome names how a drained connection ended: "" while still open.
func (r *receiver) outcome() string {
	var ce *websocket.CloseError
	var ne net.Error
	switch {
	case r.end == nil:
		return ""
	case errors.As(r.end, &ce):
		return strconv.Itoa(ce.Code)
	case errors.As(r.end, &ne) && ne.Timeout():
		return ""
	default:
		return "eof"
	}
}

// startReceivers runs a receiver per connection; wait returns once all have ended.
func startReceivers(rs []*receiver, t *tally) (wait func()) {
	var wg sync.WaitGroup
	for _, r := range rs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.run(t)
		}()
	}
	return wg.Wait
}

// await blocks until the receivers together have more than total messages:
// polling, for at most stall without progress (false: give up), or until deadline.
func (t *tally) await(total int64, stall time.Duration, deadline time.Time) bool {
	last, since := t.received.Load(), time.Now()
	for {
		n := t.received.Load()
		if n > total {
			return true
		}
		now := time.Now()
		if n != last {
			last, since = n, now
		}
		if now.Sub(since) >= stall || now.After(deadline) {
			return false
		}
		time.Sleep(50 * time.Microsecond)
	}
}
