package hub

import "errors"

// Errors of the hub, usable with errors.Is.
var (
	ErrUserOffline     = errors.New("wsc: user offline")
	ErrTicketNotFound  = errors.New("wsc: ticket not found")
	ErrHubClosed       = errors.New("wsc: hub closed")
	ErrInvalidMessage  = errors.New("wsc: invalid message")
	ErrInvalidConfig   = errors.New("wsc: invalid config")
	ErrQueueFull       = errors.New("wsc: queue full")
	ErrMessageTooLarge = errors.New("wsc: message too large")
	ErrForbidden       = errors.New("wsc: forbidden")
	ErrAckDisabled     = errors.New("wsc: ack disabled")
	ErrAckRejected     = errors.New("wsc: ack rejected by the receiver")
	ErrMaxRetry        = errors.New("wsc: no ack after the last retry")
	ErrTooManyTickets  = errors.New("wsc: too many tickets (MaxTickets on this node, or MaxTicketsPerUser)")
	ErrAckTimeout      = ErrMaxRetry // go-wsc's name for the same end
)
