package hub

import (
	"github.com/go-wsc/go-wsc/actors/ack"
	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
)

// How routing events become record statuses. The recorder methods are
// fire-and-forget sends (no-ops when records are off), safe on the hub's and the
// tracker's mailboxes.

// recordSent: a message reached at least one connection (again: from the
// offline store, a resend). Without an ack that is its success; with one, it
// is sending until the tracker says more.
func (a *hubActor) recordSent(m *protocol.Message) {
	a.recs.Status(m.ID, sentStatus(m), "", "")
}

// sentStatus is the status of a message that reached a connection.
func sentStatus(m *protocol.Message) recorder.Status {
	if m.RequireAck {
		return recorder.StatusSending
	}
	return recorder.StatusSuccess
}

// recordOffline: a message went to the offline path, for reason.
func (a *hubActor) recordOffline(m *protocol.Message, reason recorder.Reason) {
	a.recs.Status(m.ID, recorder.StatusUserOffline, reason, "")
}

// recordOutcome turns ack outcomes into statuses, ends the pending entry on
// disk of a message acked or rejected (a given-up one goes to the offline
// store first: the hub removes it then), then calls the user's observer. It
// runs on the tracker's mailbox; RemovePending only queues work.
func recordOutcome(rec *recorder.Recorder, pending store.Pending, next func(ack.Outcome)) func(ack.Outcome) {
	return func(o ack.Outcome) {
		switch o.Result {
		case ack.Acknowledged:
			pending.RemovePending(o.UserID, o.MessageID, nil)
			rec.Status(o.MessageID, recorder.StatusSuccess, "", "")
		case ack.Rejected:
			pending.RemovePending(o.UserID, o.MessageID, nil)
			rec.Status(o.MessageID, recorder.StatusFailed, recorder.ReasonUnknown, o.Error)
		case ack.MaxRetry:
			rec.Status(o.MessageID, recorder.StatusAckTimeout, recorder.ReasonMaxRetry, "no ack after the last retry")
		}
		if next != nil {
			next(o)
		}
	}
}
