package hub

import (
	"context"

	"github.com/go-wsc/go-wsc/actors/ack"
	"github.com/go-wsc/go-wsc/protocol"
)

// SendToUserWithAck sends msg to userID's connections, requiring an ack, and
// waits for its outcome: acknowledged (nil error), rejected (ErrAckRejected),
// handed to the offline path because the user is offline (ErrUserOffline) or
// never acked (ErrMaxRetry). When ctx ends first it returns ctx's error; the
// message is still tracked to its end. ErrAckDisabled unless Config.EnableAck.
func (h *Hub) SendToUserWithAck(ctx context.Context, userID string, msg *protocol.Message, opts ...AckOption) (Outcome, error) {
	if !h.cfg.EnableAck {
		return Outcome{}, ErrAckDisabled
	}
	m, err := h.accept(msg)
	if err != nil {
		return Outcome{}, err
	}
	if userID == "" {
		return Outcome{}, ErrInvalidMessage
	}
	outcome := make(chan ack.Outcome, 1)
	req := &AckRequest{Outcome: outcome}
	for _, o := range opts {
		o(req)
	}
	err = h.ask(ctx, h.sh.pid(userID), func(r chan<- error) any { return &SendToUser{UserID: userID, Msg: m, Reply: r, Ack: req} })
	if err != nil && err != ErrUserOffline {
		return Outcome{}, err
	}
	o, err := waitOutcome(ctx, h, outcome)
	if err != nil {
		return o, err
	}
	return o, outcomeErr(o)
}

// SendToTicketWithAck sends msg to a ticket's members (but the sender), each
// copy requiring an ack, and returns one outcome per member, in the order they
// ended. When ctx ends first it returns the outcomes so far and ctx's error.
func (h *Hub) SendToTicketWithAck(ctx context.Context, ticketID string, msg *protocol.Message, opts ...AckOption) ([]Outcome, error) {
	if !h.cfg.EnableAck {
		return nil, ErrAckDisabled
	}
	m, err := h.accept(msg)
	if err != nil {
		return nil, err
	}
	req := &AckRequest{}
	for _, o := range opts {
		o(req)
	}
	started := make(chan TicketAcks, 1)
	if err := h.ask(ctx, h.sh.pid(ticketID), func(r chan<- error) any {
		return &SendToTicket{TicketID: ticketID, Msg: m, Reply: r, Ack: req, AckStarted: started}
	}); err != nil {
		return nil, err
	}
	acks := <-started // sent before the reply
	out := make([]Outcome, 0, acks.N)
	for range acks.N {
		o, err := waitOutcome(ctx, h, acks.Outcomes)
		if err != nil {
			return out, err
		}
		out = append(out, o)
	}
	return out, nil
}

func waitOutcome(ctx context.Context, h *Hub, ch <-chan ack.Outcome) (Outcome, error) {
	select {
	case o := <-ch:
		return o, nil
	case <-h.stopped:
		select { // the last outcomes are written before the hub stops
		case o := <-ch:
			return o, nil
		default:
			return Outcome{}, ErrHubClosed
		}
	case <-ctx.Done():
		return Outcome{}, ctx.Err()
	}
}

// OfflineMessages lists, without removing them, the messages the offline store
// keeps for userID, oldest first.
func (h *Hub) OfflineMessages(ctx context.Context, userID string) ([]*protocol.Message, error) {
	return query[[]*protocol.Message](ctx, h, h.sh.pid(userID), func(c chan<- []*protocol.Message) any { return &PeekOffline{UserID: userID, Reply: c} })
}
