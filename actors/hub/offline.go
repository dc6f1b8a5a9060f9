package hub

import (
	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// The offline path: every message that cannot be written to a connection of its
// user ends here, in the offline store (and, when set, told to the offline
// handler). It is delivered, oldest first, when the user connects again.

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
	for _, d := range a.cfg.OfflineStore.Put(userID, m) {
		a.m.offlineDropped.Add(1)
		a.rec.Status(d.Msg.ID, recorder.StatusFailed, recorder.ReasonQueueFull, "dropped from the offline store for "+d.User)
	}
	if a.offlineHandler != nil {
		a.root.Send(a.offlineHandler, &offlineNotice{msg: m})
	}
}

// redeliverOffline sends what the store kept for a user who just connected,
// before any new message (the hub handles the registration first), except what
// the resume from Last-Event-ID has just sent.
func (a *hubActor) redeliverOffline(userID string, u *user, resumed map[string]struct{}) {
	for _, m := range a.cfg.OfflineStore.Take(userID) {
		if _, done := resumed[m.ID]; done {
			continue
		}
		if f, err := a.frame(m, len(u.conns) > 1); err == nil {
			if !a.isRecent(userID, m) {
				a.remember(userID, m)
			}
			if a.deliver(u, f, nil) {
				a.sent(m)
			}
			a.track(userID, m, nil)
		}
	}
}

// undelivered takes back frames that a closed connection of userID never wrote.
// When the user still has a connection, that connection got the same frame and
// the frame is left to it; otherwise the message goes to the offline path.
// Broadcast copies are counted only: a broadcast is for the connections of the
// moment.
func (a *hubActor) undelivered(userID string, frames []*session.Frame, code int) {
	reason := recorder.ReasonConnError
	if code == protocol.CloseSlowConsumer {
		reason = recorder.ReasonQueueFull
	}
	for _, f := range frames {
		switch {
		case f.Msg.Type == protocol.TypeError || f.Msg.Type == protocol.TypePong || f.Msg.Type == protocol.TypeWelcome:
			// control frames belong to the connection that is gone
		case f.Msg.RequireAck:
			// the ack tracker owns it: resent, or given up to the offline path
		case f.Msg.To == "" && f.Msg.TicketID == "":
			a.m.broadcastUnsent.Add(1)
		case a.users[userID] == nil:
			a.toOfflineFor(userID, f.Msg, reason)
		}
	}
}
