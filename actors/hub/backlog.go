package hub

import (
	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
)

// Flow-controlled redelivery. What a connection is handed when it registers —
// the welcome frame, the resume from Last-Event-ID, the offline store's
// backlog — can be far more than its outbox holds. It waits in the
// connection's backlog, here in the hub (the offline store's part stays in
// the store and is read a page at a time), and follows as the writer drains:
// pump offers frames until the outbox refuses, then arms the transport's
// WhenRoom, whose callback sends the hub a room message. While a connection
// catches up, every other frame for it (live messages, resends) queues behind,
// so the order holds: stored first, oldest first, then live. Frames queued
// behind are bounded like an outbox (MessageBufferSize): a connection that
// stops reading is a slow consumer.
//
// A stored message leaves the store when it is offered to the outbox (and,
// when it needs an ack, joins the pending set on disk first). One the process
// dies with while it sits in an outbox is lost: the window is the time a frame
// waits in an outbox, at most MessageBufferSize frames.

// pagesize is how many stored messages the hub reads from the store at a time.
const pagesize = 128

// pending is one frame waiting in a connection's backlog. A message from the
// offline store is framed only when offered (msg set, frame nil until then).
type pending struct {
	frame *session.Frame
	msg   *protocol.Message // from the offline store: removed from it when offered
	data  []byte            // msg's encoding, as the store kept it
}

// room says a connection's outbox has room again for its backlog.
type room struct{ pid string }

// catchingUp reports whether c has a backlog to send before live frames.
func (c *conn) catchingUp() bool {
	return len(c.backlog) > 0 || c.resuming || c.loading || c.offline || c.draining || len(c.behind) > 0
}

// queue hands f to c without blocking: to its outbox, or behind its backlog.
// False when c refused it (outbox full, or too much behind the backlog): the
// caller calls overflow once it is done iterating the user's connections.
func (a *hubActor) queue(c *conn, f *session.Frame) bool {
	if !c.catchingUp() {
		return c.t.Send(f)
	}
	if len(c.behind) >= max(a.cfg.MessageBufferSize, 1) {
		return false
	}
	c.behind = append(c.behind, f)
	return true
}

// pump offers c's backlog, then the offline store a page at a time, then
// what queued behind, until the outbox refuses; then the transport calls
// back (room) when the writer has made room.
func (a *hubActor) pump(c *conn) {
	for c.routable {
		if len(c.backlog) == 0 && (c.resuming || c.loading) {
			return // the store's history, or the shared backlog, comes first (they pump)
		}
		if len(c.backlog) == 0 && c.offline {
			a.nextPage(c)
			continue
		}
		var f *session.Frame
		switch {
		case len(c.backlog) > 0:
			p := &c.backlog[0]
			if p.frame == nil && !a.frameStored(c, p) {
				c.popBacklog()
				continue
			}
			f = p.frame
		case len(c.behind) > 0:
			f = c.behind[0]
		default:
			// The backlog's tail may still fill the outbox: live frames keep
			// queuing behind (bounded) until the writer has drained it to
			// half, so that a burst right after a large backlog meets a
			// reading client's room, not a full outbox (3002).
			if c.t.Queued() > a.cfg.MessageBufferSize/2 {
				c.draining = true
				a.whenRoom(c)
				return
			}
			c.draining = false
			c.backlog, c.behind = nil, nil // caught up: let the arrays go
			return
		}
		if !c.t.Send(f) {
			a.whenRoom(c)
			return
		}
		if len(c.backlog) > 0 {
			if m := c.backlog[0].msg; m != nil {
				a.redelivered(c.id.UserID, m, f)
			}
			c.popBacklog()
		} else {
			c.behind[0] = nil
			c.behind = c.behind[1:]
		}
	}
}

// whenRoom asks c's transport to tell the hub (room) once its outbox is at
// most half full.
func (a *hubActor) whenRoom(c *conn) {
	self, pid, root := a.self, c.pid.Id, a.root
	c.t.WhenRoom(func() { root.Send(self, &room{pid: pid}) })
}

// frameStored frames a stored message for the connection; false when it
// cannot be (it is then refused and leaves the store).
func (a *hubActor) frameStored(c *conn, p *pending) bool {
	if p.data != nil {
		p.frame = &session.Frame{Msg: p.msg, Data: p.data, Stored: true}
		return true
	}
	f, err := a.frame(p.msg, false)
	if err != nil { // the store kept something the codec refuses: never again
		a.refuse(p.msg, c.id.UserID, "", err)
		a.cfg.Store.RemoveOffline(c.id.UserID, []string{p.msg.ID}, nil)
		return false
	}
	f.Stored = true
	p.frame = f
	return true
}

// nextPage reads the next page of c's offline backlog into its backlog. The
// messages offered so far have left the store, so the page starts at the
// oldest left; ids the resume has sent already leave it unsent.
func (a *hubActor) nextPage(c *conn) {
	page := a.cfg.Store.PeekOffline(c.id.UserID, "", pagesize)
	if len(page) == 0 {
		c.offline, c.resumed = false, nil
		return
	}
	var dup []string
	for _, e := range page {
		if _, done := c.resumed[e.Msg.ID]; done {
			dup = append(dup, e.Msg.ID)
			continue
		}
		c.backlog = append(c.backlog, pending{msg: e.Msg, data: e.Data})
	}
	if len(dup) > 0 {
		a.cfg.Store.RemoveOffline(c.id.UserID, dup, nil)
	}
}

func (c *conn) popBacklog() {
	c.backlog[0] = pending{}
	c.backlog = c.backlog[1:]
}

// redelivered: a stored message reached a connection's outbox and leaves the
// store (when it needs an ack it joins the pending set first: writes are
// durable in order, so a crash leaves it in one or both, never neither). It
// joins the recent history, its record moves on, and the tracker starts
// waiting for its ack now, not while it sat in the store.
func (a *hubActor) redelivered(userID string, m *protocol.Message, f *session.Frame) {
	if m.RequireAck {
		if err := a.cfg.Store.PutPending(store.PendingAck{User: userID, Entry: store.Entry{Msg: m, Data: f.Data}}, nil); err != nil {
			a.m.storeErrors.Add(1) // kept in the offline store then: resent on the next connection
			return
		}
	}
	a.cfg.Store.RemoveOffline(userID, []string{m.ID}, nil)
	if !a.isRecent(userID, m) {
		a.remember(userID, m, f.Data)
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

// backlogLeft is what c's backlog still held when c went: stored messages
// never offered are still in the store; frames go the way of unwritten frames.
func (a *hubActor) backlogLeft(c *conn, reason recorder.Reason) {
	var frames []*session.Frame
	for _, p := range c.backlog {
		if p.msg == nil {
			frames = append(frames, p.frame)
		}
	}
	frames = append(frames, c.behind...)
	c.backlog, c.behind, c.offline, c.resumed, c.resuming, c.loading = nil, nil, false, nil, false, false
	a.unwritten(c.id.UserID, frames, reason)
}
