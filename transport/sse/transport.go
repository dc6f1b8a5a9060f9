package sse

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors/session"
)

// transport adapts one SSE stream to session.Transport. Its writer is the
// goroutine of the stream's ServeHTTP.
type transport struct {
	h      *Server
	id     string // the session id the client names in POSTs
	user   string // the session's user: POSTs must come from it
	outbox *session.Outbox
	pid    *actor.PID
	root   *actor.RootContext

	ping      chan struct{} // a heartbeat comment is wanted (capacity 1: they coalesce)
	closeReq  chan struct{} // closed by Close
	closeOnce sync.Once
	closeCode int // set before closeReq is closed
	closeText string

	// ended is set when the writer has stopped; sending counts Sends in
	// progress, so that the writer drains the outbox only after the last Offer
	// that could still land in it (see finish).
	ended   atomic.Bool
	sending atomic.Int32

	buf []byte // the writer's scratch space for unshared events
}

func newTransport(h *Server, id, user string, o *session.Outbox) *transport {
	return &transport{h: h, id: id, user: user, outbox: o,
		ping: make(chan struct{}, 1), closeReq: make(chan struct{})}
}

// Kind implements session.Transport.
func (t *transport) Kind() session.Kind { return session.KindSSE }

// Send implements session.Transport. Once the stream has ended it refuses, so
// that the session keeps the frame (and hands it back to the hub with Gone)
// instead of queueing it where nobody reads.
func (t *transport) Send(f *session.Frame) bool {
	t.sending.Add(1)
	defer t.sending.Add(-1)
	if t.ended.Load() {
		return false
	}
	return t.outbox.Offer(f)
}

// Drain implements session.Transport. Send refuses once the stream has ended
// and the writer drains the outbox then, so this finds nothing in practice.
func (t *transport) Drain() []*session.Frame { return t.outbox.Drain() }

// Consumed implements session.Transport. SSE needs no inbound credit: each
// POST is bounded by MaxMessageSize and answered only once its frames are
// handed over, so a client cannot run ahead by more than its open requests.
func (t *transport) Consumed() {}

// Heartbeat implements session.Transport.
func (t *transport) Heartbeat() {
	select {
	case t.ping <- struct{}{}:
	default:
	}
}

// Close implements session.Transport: the writer writes a close event (unless
// code is 0) and ends the stream. Idempotent; never blocks.
func (t *transport) Close(code int, text string) {
	t.closeOnce.Do(func() {
		t.closeCode, t.closeText = code, text
		close(t.closeReq)
	})
}

// finish marks the stream ended and returns what is left in the outbox. A Send
// that saw the stream still running may be offering a frame right now; the
// wait for it is one non-blocking channel send long.
func (t *transport) finish() []*session.Frame {
	t.ended.Store(true)
	for t.sending.Load() != 0 {
		runtime.Gosched()
	}
	return t.outbox.Drain()
}
