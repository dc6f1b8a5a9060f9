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
)
