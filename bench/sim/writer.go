package sim

import (
	"time"

	"github.com/go-wsc/go-wsc/actors/session"
)

// write is a node's writer goroutine: it takes each woken connection's queued
// frames off its outbox, as a socket writer would, and hands them to the
// ledger; a closed connection then gets its TransportDone.
func (n *node) write() {
	defer n.wg.Done()
	for {
		select {
		case c := <-n.wake:
			c.armed.Store(false) // before draining: an Offer after the last read wakes us again
			n.drain(c)
			if c.closed.Load() && c.done.CompareAndSwap(false, true) {
				<-c.ready // the session may close before its spawn has returned
				n.sys.Root.Send(c.pid, &session.TransportDone{})
				n.sim.closed(c, int(c.code.Load()))
			}
		case <-n.done:
			return
		}
	}
}

func (n *node) drain(c *memConn) {
	ch := c.out.C()
	for {
		select {
		case f := <-ch:
			n.sim.ledger.wrote(c.user.id, f.Msg, time.Now())
			c.out.Written(f)
		default:
			return
		}
	}
}
