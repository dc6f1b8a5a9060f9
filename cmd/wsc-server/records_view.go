package main

import (
	"time"

	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/protocol"
)

// recordView is a recorder.Record as the API writes it, with Delivery: what
// the sender cares about, derived from the status.
type recordView struct {
	ID           string            `json:"id"`
	Delivery     string            `json:"delivery"`
	Status       recorder.Status   `json:"status"`
	Reason       recorder.Reason   `json:"reason,omitempty"`
	Error        string            `json:"error,omitempty"`
	UserID       string            `json:"user_id,omitempty"`
	TicketID     string            `json:"ticket_id,omitempty"`
	NodeID       string            `json:"node_id"`
	CreatedAt    time.Time         `json:"created_at"`
	UpdatedAt    time.Time         `json:"updated_at"`
	Message      *protocol.Message `json:"message"`
	History      []transitionView  `json:"history"`
	Attempts     []attemptView     `json:"attempts"`
	Tags         []string          `json:"tags"`
	CustomFields map[string]any    `json:"custom_fields,omitempty"`
	Extra        map[string]any    `json:"extra,omitempty"`
}

type transitionView struct {
	From   recorder.Status `json:"from,omitempty"`
	To     recorder.Status `json:"to"`
	Reason recorder.Reason `json:"reason,omitempty"`
	At     time.Time       `json:"at"`
}

type attemptView struct {
	N     int       `json:"n"`
	At    time.Time `json:"at"`
	Error string    `json:"error,omitempty"`
}

// The deliveries a sender sees: sent → delivered → acknowledged, or offline.
const (
	deliverySent         = "sent"         // accepted, not yet on a connection
	deliveryDelivered    = "delivered"    // written to a connection (an ack, if required, not back yet)
	deliveryAcknowledged = "acknowledged" // the receiver's ack came back
	deliveryRetrying     = "retrying"     // resent for want of an ack, or retried by hand
	deliveryOffline      = "offline"      // in the offline store: sent again when the user connects
	deliveryFailed       = "failed"       // rejected by the receiver, or dropped; Reason says why
	deliveryExpired      = "expired"
)

// delivery maps a record's status to what its sender sees. A message that
// required an ack counts as delivered while its record says sending (the hub
// wrote it and waits), and as acknowledged once it says success; without an
// ack, success is delivered. ack_timeout is offline: the hub gave up
// resending and stored the message for the user's next connection.
func delivery(rec *recorder.Record) string {
	requireAck := rec.Message != nil && rec.Message.RequireAck
	switch rec.Status {
	case recorder.StatusPending:
		return deliverySent
	case recorder.StatusSending:
		if requireAck {
			return deliveryDelivered
		}
		return deliverySent
	case recorder.StatusSuccess:
		if requireAck {
			return deliveryAcknowledged
		}
		return deliveryDelivered
	case recorder.StatusRetrying:
		return deliveryRetrying
	case recorder.StatusUserOffline, recorder.StatusAckTimeout:
		return deliveryOffline
	case recorder.StatusExpired:
		return deliveryExpired
	}
	return deliveryFailed
}

func viewRecord(rec recorder.Record) recordView {
	v := recordView{
		ID: rec.ID, Delivery: delivery(&rec), Status: rec.Status, Reason: rec.Reason, Error: rec.Error,
		UserID: rec.UserID, TicketID: rec.TicketID, NodeID: rec.NodeID, CreatedAt: rec.CreatedAt, UpdatedAt: rec.UpdatedAt,
		Message: rec.Message, History: make([]transitionView, len(rec.History)), Attempts: make([]attemptView, len(rec.Attempts)),
		Tags: rec.Tags, CustomFields: rec.CustomFields, Extra: rec.Extra,
	}
	if v.Tags == nil {
		v.Tags = []string{}
	}
	for i, t := range rec.History {
		v.History[i] = transitionView{From: t.From, To: t.To, Reason: t.Reason, At: t.At}
	}
	for i, a := range rec.Attempts {
		v.Attempts[i] = attemptView{N: a.N, At: a.At, Error: a.Err}
	}
	return v
}
