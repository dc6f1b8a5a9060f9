package sse

import (
	"sync"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors/session"
)

// transport adapts one SSE stream to session.Transport. Its writer is the
// goroutine of the stream's ServeHTTP.
type transport struct {
	h      *Server
	outbox *session.Outbox
	pid    *actor.PID
	root   *actor.RootContext

	ping      chan struct{} // a heartbeat comment is wanted (capacity 1: they coalesce)
	closeReq  chan struct{} // closed by Close
	closeOnce sync.Once
	closeCode int // set before closeReq is closed
	closeText string

	buf []byte // the writer's scratch space for unshared events
}

func newTransport(h *Server, o *session.Outbox) *transport {
	return &transport{h: h, outbox: o, ping: make(chan struct{}, 1), closeReq: make(chan struct{})}
}

// Kind implements session.Transport.
func (t *transport) Kind() session.Kind { return session.KindSSE }

// Send implements session.Transport. A frame queued after the stream ended
// stays in the outbox until the hub drains it (when the session says Gone).
func (t *transport) Send(f *session.Frame) bool { return t.outbox.Offer(f) }

// WhenRoom implements session.Transport.
func (t *transport) WhenRoom(fn func()) { t.outbox.WhenRoom(fn) }

// Queued implements session.Transport.
func (t *transport) Queued() int { return t.outbox.Len() }

// Drain implements session.Transport.
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
