package session

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/protocol"
)

// Messages the transport sends to its session.

// Received is one inbound frame, as read from the connection.
type Received struct{ Data []byte }

// Pong is a WebSocket pong: a sign of life, nothing to parse.
type Pong struct{}

// TransportDone says the connection is closed and the transport's goroutines are
// finished: nothing writes to the outbox's reader side any more. It carries no
// frames: whatever was queued and never written is still in the outbox (a
// writer puts a batch it failed to write back with Outbox.Return), and the hub
// drains it once, when the session says Gone.
type TransportDone struct {
	Err error
}

// Messages the hub (or the ack tracker) sends to a session.

// Control asks the session to write a frame that only this connection gets and
// that may be lost with it (an error frame, a pong): never a routed message.
type Control struct {
	Msg *protocol.Message
	// Consumed: the frame answers an inbound frame whose credit the hub left
	// to the session; the answer carries it (Frame.Credit) and the transport
	// gives it back once the answer is written (the session at once if it
	// drops the answer, closing).
	Consumed bool
}

// CloseCmd asks the session to close its connection with Code.
type CloseCmd struct {
	Code int
	Text string
}

// Release is the hub's answer to Gone: the session is unregistered and may stop.
type Release struct{}

// Messages a session sends to the hub (declared here so that the session does
// not import the hub; the hub handles them).

// Register announces a new connection. Transport lets the hub queue routed
// frames on it directly (see Transport); it is never nil.
type Register struct {
	PID       *actor.PID
	Identity  Identity
	Kind      Kind
	Transport Transport
	At        time.Time
}

// Inbound is a client message to route; Msg.From is already the session's
// user. The hub calls Transport.Consumed once it has routed it.
type Inbound struct {
	PID       *actor.PID
	Identity  *Identity
	Msg       *protocol.Message
	Transport Transport
}

// AckIn is an ack frame a client sent. The hub calls Transport.Consumed once
// it has passed it on.
type AckIn struct {
	PID       *actor.PID
	UserID    string
	Ack       *protocol.Message
	Transport Transport
}

// Gone says the connection is closed and its transport finished. The hub
// drains the transport's outbox (the frames it queued and that were never
// written) and answers Release.
type Gone struct {
	PID    *actor.PID
	UserID string
	Code   int
}

// tick is the session's own heartbeat/idle timer event.
type tick struct{ gen uint64 }
