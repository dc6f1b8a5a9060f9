package hub

import (
	"errors"
	"github.com/go-wsc/go-wsc/actors/ack"
	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	"math"
)

// The offline path: every message that cannot be written to a connection of its
// user ends here, in the offline store (and, when set, told to the offline
// handler). It is delivered, oldest first, when the user connects again, at
// the pace the connection takes it (backlog.go).

// toOfflineFor keeps m for user, recording why it was not delivered. A message
// the bounded store drops is recorded as failed (queue_full): still not silent.
func (a *hubActor) toOfflineFor(userID string, m *protocol.Message, reason recorder.Reason) {
	a.recordOffline(m, reason)
	a.store(userID, m, nil)
}

// store puts m in the offline store for userID and tells the offline
// handler. then, when set, hears once m is durable (nil) or why it is not kept
// (it is then recorded as failed): the caller's answer waits for it. Without
// then the write is written behind (within the store's FlushInterval).
func (a *hubActor) store(userID string, m *protocol.Message, then func(error)) {
	a.m.offline.Add(1)
	if a.put(userID, m, then) && a.offlineHandler != nil {
		a.root.Send(a.offlineHandler, &offlineNotice{msg: m})
	}
}

// restore puts back a message taken from the store for a connection that went
// before it was written: it is not a new arrival on the offline path.
func (a *hubActor) restore(userID string, m *protocol.Message) { a.put(userID, m, nil) }

// put writes m to the offline store; false when the store refused it (full
// past its bounds in refuse mode, too large, too far behind, failing).
func (a *hubActor) put(userID string, m *protocol.Message, then func(error)) bool {
	var done store.Done
	if then != nil {
		done = a.whenDurable(func(err error) {
			if err != nil { // still in the store's memory: it must not be delivered as accepted
				a.cfg.Store.RemoveOffline(userID, []string{m.ID}, nil)
				a.storeFailed(m, err)
			}
			then(err)
		})
	}
	dropped, err := a.cfg.Store.PutOffline(userID, store.Entry{Msg: m}, done)
	if err != nil {
		a.storeFailed(m, err)
		if then != nil {
			then(err)
		}
		return false
	}
	for _, d := range dropped {
		a.m.offlineDropped.Add(1)
		a.recs.Status(d.Msg.ID, recorder.StatusFailed, recorder.ReasonQueueFull, "dropped from the offline store for "+d.User)
	}
	return true
}

// storeFailed records a message the store could not keep.
func (a *hubActor) storeFailed(m *protocol.Message, err error) {
	a.m.storeErrors.Add(1)
	reason := recorder.ReasonUnknown
	if errors.Is(err, store.ErrFull) || errors.Is(err, store.ErrBusy) || errors.Is(err, store.ErrTooLarge) {
		reason = recorder.ReasonQueueFull
	}
	a.recs.Status(m.ID, recorder.StatusFailed, reason, "offline store: "+err.Error())
}

// peekOffline is a copy of what the store keeps for userID, oldest first.
func (a *hubActor) peekOffline(userID string) []*protocol.Message {
	var out []*protocol.Message
	for _, e := range a.cfg.Store.PeekOffline(userID, "", math.MaxInt) {
		out = append(out, e.Msg)
	}
	return out
}

// offlineLen is the number of messages in the offline store, all users'.
func (a *hubActor) offlineLen() int {
	n, _ := a.cfg.Store.OfflineLen("")
	return n
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
	a.toTracker(s)
}

// redeliverOffline starts the offline backlog of a user's first connection:
// the store's messages follow c's welcome and resume, a page at a time as the
// outbox drains (pump), before any new message (the hub handles the
// registration first). Ids the resume has just sent are skipped.
func (a *hubActor) redeliverOffline(c *conn) {
	if n, _ := a.cfg.Store.OfflineLen(c.id.UserID); n > 0 {
		c.offline = true
	}
}

// unwritten takes back frames queued for a connection of userID that never
// reached the wire. A frame taken from the offline store for that connection
// alone goes back there; a frame routed to all the user's connections is left
// to another connection when there is one (it got the same frame), and goes
// to the offline path otherwise. Broadcast copies are counted only: a
// broadcast is for the connections of the moment. Messages that need an ack
// are the tracker's: it resends them, or gives them up to the offline path.
// A frame another node forwarded here was reported delivered when it was
// queued; kept here instead, it is reported again as stored, so that its
// record (on that node) says where it is.
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
			a.report(f.Origin, f.Msg.ID, userID, true) // no-op for a frame of this node's own
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

// unwrittenInOrder is unwritten for a connection's drained outbox, keeping the
// store's order: the stored messages at its head (taken from the store for
// this connection, never written) are older than what the store still holds
// for the user, so they go back in front of it — the rest is taken out and
// put back behind them — and the live frames after them go last.
func (a *hubActor) unwrittenInOrder(userID string, drained []*session.Frame, reason recorder.Reason) {
	head := 0
	for head < len(drained) && drained[head].Stored {
		head++
	}
	var rest []*protocol.Message
	if head > 0 {
		if rest = a.peekOffline(userID); len(rest) > 0 {
			ids := make([]string, len(rest))
			for i, m := range rest {
				ids[i] = m.ID
			}
			a.cfg.Store.RemoveOffline(userID, ids, nil)
		}
	}
	a.unwritten(userID, drained[:head], reason)
	for _, m := range rest {
		a.restore(userID, m)
	}
	a.unwritten(userID, drained[head:], reason)
}
