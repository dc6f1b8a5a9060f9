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
// finished (or finishing); Unsent are the frames it never wrote, in order.
type TransportDone struct {
	Unsent []*Frame
	Err    error
}

// Messages the hub sends to a session.

// Deliver asks the session to write one frame.
type Deliver struct{ Frame *Frame }

// Overflow says the hub could not queue Frame on this connection (Send
// refused it): the connection is a slow consumer. The session closes it with
// 3002 and hands Frame back with Gone; the hub has stopped routing to it.
type Overflow struct{ Frame *Frame }

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
// frames on it directly (see Transport).
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

// Gone says the connection is closed; Unsent are frames that were accepted but
// never written, oldest first. The hub answers Release.
type Gone struct {
	PID    *actor.PID
	UserID string
	Code   int
	Unsent []*Frame
}

// Undelivered returns frames that reached the session after it said Gone.
type Undelivered struct {
	PID    *actor.PID
	UserID string
	Frames []*Frame
}

// tick is the session's own heartbeat/idle timer event.
type tick struct{ gen uint64 }
