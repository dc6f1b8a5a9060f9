package sim

import (
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors/session"
)

// memConn is one user's connection: a session.Transport over a lazy Outbox
// (an idle connection holds no queue), written by its node's writer goroutine
// instead of a socket. The hub and the session call its methods; none blocks.
type memConn struct {
	user  *user
	node  *node
	out   *session.Outbox
	pid   *actor.PID
	ready chan struct{} // closed once pid is set

	armed  atomic.Bool // on the node's wake channel, not yet taken by the writer
	closed atomic.Bool // Close was called: the writer writes what is queued, then says TransportDone
	code   atomic.Int32
	done   atomic.Bool // TransportDone sent
}

func newConn(u *user, n *node, queue int) *memConn {
	return &memConn{user: u, node: n, out: session.NewLazyOutbox(queue, 1<<20), ready: make(chan struct{})}
}

func (c *memConn) Kind() session.Kind { return session.KindWebSocket }
func (c *memConn) Heartbeat()         {}
func (c *memConn) Consumed()          {}
func (c *memConn) Queued() int        { return c.out.Len() }
func (c *memConn) WhenRoom(fn func()) { c.out.WhenRoom(fn) }
func (c *memConn) Drain() []*session.Frame {
	return c.out.Drain()
}

// Send queues f and wakes the writer (once: a connection is on the wake
// channel at most once at a time, so the channel, sized for every connection
// of the node, never blocks the hub).
func (c *memConn) Send(f *session.Frame) bool {
	if !c.out.Offer(f) {
		return false
	}
	c.wake()
	return true
}

func (c *memConn) wake() {
	if c.armed.CompareAndSwap(false, true) {
		c.node.wake <- c
	}
}

// Close is a graceful close: the writer writes what is queued (as a socket
// would before its close frame), then sends the session TransportDone.
func (c *memConn) Close(code int, _ string) {
	if c.closed.CompareAndSwap(false, true) {
		c.code.Store(int32(code))
		c.wake()
	}
}
