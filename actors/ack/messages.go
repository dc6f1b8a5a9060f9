package ack

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/protocol"
)

// Messages the hub sends to the tracker.

// Track starts tracking Msg for UserID: the hub has just handed it to the
// user's connections. Zero Timeout/MaxRetry: the tracker's config; MaxRetry < 0: none.
type Track struct {
	Msg      *protocol.Message
	UserID   string
	Timeout  time.Duration
	MaxRetry int
	// Waiter, when set, receives the outcome (it must have room: buffered).
	Waiter chan<- Outcome
}

// Ack is an ack frame from one of UserID's connections (PID).
type Ack struct {
	PID       *actor.PID
	UserID    string
	MessageID string
	Status    protocol.AckStatus
	Error     string
}

// UserGone says UserID has no connection left: its pending messages go to the
// offline path now instead of waiting for their timers.
type UserGone struct{ UserID string }

// Drop says a resend found UserID offline.
type Drop struct{ MessageID, UserID string }

// Stored says the hub put Msg for UserID in the offline path at once (the user
// is on no node): the tracker tells Waiter and the observer (Offline), so that
// the observer is only ever called from the tracker's mailbox.
type Stored struct {
	Msg    *protocol.Message
	UserID string
	Waiter chan<- Outcome
}

// Flush gives up every pending message (shutdown); Flushed follows the GiveUps.
type Flush struct{}

// Messages the tracker sends to the hub.

// Resend asks the hub for another copy of Msg to UserID's connections as they are now.
type Resend struct {
	Msg     *protocol.Message
	UserID  string
	Attempt int
}

// GiveUp hands Msg for UserID to the hub's offline path (or, when Result is
// Offline and the user is back, to its connections again).
type GiveUp struct {
	Msg    *protocol.Message
	UserID string
	Result Result
}

// Flushed says every GiveUp of a Flush has been sent.
type Flushed struct{}

// timeout is a tracker timer event.
type timeout struct {
	key key
	gen uint64
}
