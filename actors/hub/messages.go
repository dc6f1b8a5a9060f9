package hub

import (
	"time"

	"github.com/go-wsc/go-wsc/actors/ack"
	"github.com/go-wsc/go-wsc/protocol"
)

// Messages the hub actor receives from the application (through the facade or
// sent straight to Hub.PID()). Reply channels are optional; when set they must
// be buffered (size 1): the hub never waits on a caller, and a reply that finds
// no room is dropped. Once sent, a message's
// Msg belongs to the hub, which stamps it in place: send a copy you no longer touch.

// SendToUser routes Msg to every connection of UserID; ErrUserOffline (and the
// offline path) when there is none.
type SendToUser struct {
	UserID string
	Msg    *protocol.Message
	Reply  chan<- error
	// Ack, when set, makes the message require an ack and receives its outcome.
	Ack *AckRequest
}

// AckRequest asks for an ack and for its outcome; zero Timeout/MaxRetry: the
// hub's config.
type AckRequest struct {
	Timeout  time.Duration
	MaxRetry int
	Outcome  chan<- ack.Outcome
}

// TicketAcks answers a SendToTicket with Ack: the outcomes of its N copies
// will arrive on Outcomes.
type TicketAcks struct {
	Outcomes <-chan ack.Outcome
	N        int
}

// SendToTicket routes Msg to every connection of the ticket's members, except
// the sender's (the user named in Msg.From).
type SendToTicket struct {
	TicketID string
	Msg      *protocol.Message
	Reply    chan<- error
	// Ack, when set, makes every member's copy require an ack; AckStarted then
	// says how many outcomes will come (Ack.Outcome is ignored: the hub makes a
	// channel with room for all of them).
	Ack        *AckRequest
	AckStarted chan<- TicketAcks
}

// Broadcast routes Msg to every connection, encoded once.
type Broadcast struct {
	Msg   *protocol.Message
	Reply chan<- error
}

// JoinTicket makes UserID a member of TicketID (creating the ticket).
type JoinTicket struct {
	TicketID, UserID string
	Reply            chan<- error
}

// LeaveTicket ends UserID's membership of TicketID; the ticket goes with its
// last member.
type LeaveTicket struct {
	TicketID, UserID string
	Reply            chan<- error
}

// TicketMembers asks for a ticket's members (ErrTicketNotFound if none).
type TicketMembers struct {
	TicketID string
	Reply    chan<- TicketMembersReply
}

// TicketMembersReply answers TicketMembers: the members, sorted, or
// ErrTicketNotFound.
type TicketMembersReply struct {
	Members []string
	Err     error
}

// DisconnectUser closes every connection of UserID with Code; the reply is how
// many there were.
type DisconnectUser struct {
	UserID string
	Code   int
	Reply  chan<- int
}

// OnlineUsers asks for the ids of the users with at least one connection, sorted.
type OnlineUsers struct{ Reply chan<- []string }

// WhereIs asks which nodes UserID has connections on (this one included), sorted.
type WhereIs struct {
	UserID string
	Reply  chan<- []string
}

// GetStats asks for a Stats snapshot.
type GetStats struct{ Reply chan<- Stats }

// shutdown starts the hub's shutdown; done is closed when it is over.
type shutdown struct{}

// PeekOffline asks for a copy of the offline store's list for a user, oldest
// first.
type PeekOffline struct {
	UserID string
	Reply  chan<- []*protocol.Message
}
