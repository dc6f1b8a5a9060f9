package hub

import (
	"github.com/go-wsc/go-wsc/actors/ack"
	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// The offline path: every message that cannot be written to a connection of its
// user ends here, in the offline store (and, when set, told to the offline
// handler). It is delivered, oldest first, when the user connects again, at
// the pace the connection takes it (backlog.go).

// toOffline keeps m for user.
func (a *hubActor) toOffline(userID string, m *protocol.Message) {
	a.toOfflineFor(userID, m, recorder.ReasonUserOffline)
}

// toOfflineFor keeps m for user, recording why it was not delivered. A message
// the bounded store drops is recorded as failed (queue_full): still not silent.
func (a *hubActor) toOfflineFor(userID string, m *protocol.Message, reason recorder.Reason) {
	a.recordOffline(m, reason)
	a.store(userID, m)
}

// store puts m in the offline store and tells the offline handler.
func (a *hubActor) store(userID string, m *protocol.Message) {
	a.m.offline.Add(1)
	a.put(userID, m)
	if a.offlineHandler != nil {
		a.root.Send(a.offlineHandler, &offlineNotice{msg: m})
	}
}

// restore puts back a message taken from the store for a connection that went
// before it was offered: it is not a new arrival on the offline path.
func (a *hubActor) restore(userID string, m *protocol.Message) { a.put(userID, m) }

func (a *hubActor) put(userID string, m *protocol.Message) {
	for _, d := range a.cfg.OfflineStore.Put(userID, m) {
		a.m.offlineDropped.Add(1)
		a.rec.Status(d.Msg.ID, recorder.StatusFailed, recorder.ReasonQueueFull, "dropped from the offline store for "+d.User)
	}
}

// offlineOutcome: a message that needs an ack went to the offline path at once
// (its user is on no node). The tracker tells the waiter and the AckObserver,
// as it does for every other outcome, so the observer runs on one mailbox.
func (a *hubActor) offlineOutcome(req *AckRequest, userID string, m *protocol.Message) {
	if !m.RequireAck {
		return
	}
	s := &ack.Stored{Msg: m, UserID: userID}
	if req != nil {
		s.Waiter = req.Outcome
	}
	a.root.Send(a.tracker, s)
}

// redeliverOffline queues what the store kept for a user who just connected
// behind c's welcome and resume, before any new message (the hub handles the
// registration first), except what the resume has just sent.
func (a *hubActor) redeliverOffline(c *conn, resumed map[string]struct{}) {
	for _, m := range a.cfg.OfflineStore.Take(c.id.UserID) {
		if _, done := resumed[m.ID]; done {
			continue
		}
		c.backlog = append(c.backlog, pending{msg: m})
	}
}

// unwritten takes back frames queued for a connection of userID that never
// reached the wire. A frame taken from the offline store for that connection
// alone goes back there; a frame routed to all the user's connections is left
// to another connection when there is one (it got the same frame), and goes
// to the offline path otherwise. Broadcast copies are counted only: a
// broadcast is for the connections of the moment. Messages that need an ack
// are the tracker's: it resends them, or gives them up to the offline path.
func (a *hubActor) unwritten(userID string, frames []*session.Frame, reason recorder.Reason) {
	for _, f := range frames {
		switch {
		case f.Msg.Type == protocol.TypeError || f.Msg.Type == protocol.TypePong || f.Msg.Type == protocol.TypeWelcome:
			// control frames belong to the connection that is gone
		case f.Msg.RequireAck:
			// the ack tracker owns it: resent, or given up to the offline path
		case f.Msg.To == "" && f.Msg.TicketID == "":
			a.m.broadcastUnsent.Add(1)
		case f.Stored || a.users[userID] == nil:
			a.toOfflineFor(userID, f.Msg, reason)
		}
	}
}

// closeReason is the record's reason for frames a connection closed with
// code never wrote.
func closeReason(code int) recorder.Reason {
	if code == protocol.CloseSlowConsumer {
		return recorder.ReasonQueueFull
	}
	return recorder.ReasonConnError
}
