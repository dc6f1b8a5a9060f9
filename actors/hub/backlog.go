package hub

import (
	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// Flow-controlled redelivery. What a connection is handed when it registers —
// the welcome frame, the resume from Last-Event-ID, the offline store's
// backlog — can be far more than its outbox holds. It waits in the
// connection's backlog, here in the hub, and follows as the writer drains:
// pump offers frames until the outbox refuses, then arms the transport's
// WhenRoom, whose callback sends the hub a room message. While a backlog is
// non-empty every other frame for the connection (live messages, resends)
// queues behind it, so the order holds: stored first, oldest first, then live.
// Frames queued behind a backlog are bounded like an outbox
// (MessageBufferSize): a connection that stops reading is a slow consumer.

// pending is one frame waiting in a connection's backlog. Messages from the
// offline store are framed only when offered (msg set, frame nil).
type pending struct {
	frame  *session.Frame
	msg    *protocol.Message // from the offline store: framed, remembered and tracked when offered
	behind bool              // routed live while the backlog was there
}

// room says a connection's outbox has room again for its backlog.
type room struct{ pid string }

// queue hands f to c without blocking: to its outbox, or behind its backlog.
// False when c refused it (outbox full, or too much behind the backlog): the
// caller calls overflow once it is done iterating the user's connections.
func (a *hubActor) queue(c *conn, f *session.Frame) bool {
	if len(c.backlog) == 0 {
		return c.t.Send(f)
	}
	if c.behind >= max(a.cfg.MessageBufferSize, 1) {
		return false
	}
	c.backlog = append(c.backlog, pending{frame: f, behind: true})
	c.behind++
	return true
}

// push queues f on one connection, handling a refusal.
func (a *hubActor) push(c *conn, f *session.Frame) {
	if !a.queue(c, f) {
		a.overflow(c, f)
	}
}

// pump offers c's backlog, oldest first, until the outbox refuses; then the
// transport calls back (room) when the writer has made room.
func (a *hubActor) pump(c *conn) {
	for len(c.backlog) > 0 && c.routable {
		p := &c.backlog[0]
		if p.frame == nil {
			f, err := a.frame(p.msg, false)
			if err != nil { // the store kept something the codec refuses: never again
				a.refuse(p.msg, c.id.UserID, "", err)
				a.popBacklog(c)
				continue
			}
			f.Stored = true
			p.frame = f
		}
		if !c.t.Send(p.frame) {
			self, pid := a.self, c.pid.Id
			root := a.root
			c.t.WhenRoom(func() { root.Send(self, &room{pid: pid}) })
			return
		}
		if p.msg != nil {
			a.redelivered(c.id.UserID, p.msg)
		}
		a.popBacklog(c)
	}
}

func (a *hubActor) popBacklog(c *conn) {
	if c.backlog[0].behind {
		c.behind--
	}
	c.backlog[0] = pending{}
	c.backlog = c.backlog[1:]
	if len(c.backlog) == 0 {
		c.backlog = nil // let the array go
	}
}

// redelivered: a stored message reached a connection's outbox. It joins the
// recent history (for a later resume), its record moves on, and when it needs
// an ack the tracker starts waiting now, not while it sat in the backlog.
func (a *hubActor) redelivered(userID string, m *protocol.Message) {
	if !a.isRecent(userID, m) {
		a.remember(userID, m)
	}
	a.sent(m)
	a.track(userID, m, nil)
}

// onRoom: the writer of a connection with a backlog has drained half its outbox.
func (a *hubActor) onRoom(pid string) {
	if c := a.conns[pid]; c != nil && c.routable {
		a.pump(c)
	}
}

// backlogLeft is what c's backlog still held when c went: the stored messages
// go back to the store as they were; frames go the way of unwritten frames.
func (a *hubActor) backlogLeft(c *conn, reason recorder.Reason) {
	var frames []*session.Frame
	for _, p := range c.backlog {
		if p.msg != nil { // never offered: back where it was, as it was
			a.restore(c.id.UserID, p.msg)
			continue
		}
		frames = append(frames, p.frame)
	}
	c.backlog, c.behind = nil, 0
	a.unwritten(c.id.UserID, frames, reason)
}
