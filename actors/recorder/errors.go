package recorder

import "errors"

// Sentinel errors, usable with errors.Is.
var (
	ErrRecordingDisabled = errors.New("wsc: message recording disabled")
	ErrRecorderStopped   = errors.New("wsc: recorder stopped")
	ErrInvalidConfig     = errors.New("wsc: invalid recorder config")
	ErrNoActorSystem     = errors.New("wsc: recorder needs an actor system")
	ErrRecordNotFound    = errors.New("wsc: record not found")
	ErrAlreadySucceeded  = errors.New("wsc: message already delivered")
	ErrNoAttemptsLeft    = errors.New("wsc: no retry attempts left")
	ErrNoTarget          = errors.New("wsc: record has no user and no ticket to resend to")
	ErrNoResender        = errors.New("wsc: no resender set")
	ErrRecordExpired     = errors.New("wsc: record expired")
	ErrFilterNotFound    = errors.New("wsc: filter not found")
	ErrHandlerNotFound   = errors.New("wsc: handler not found")
	ErrHandlerPanic      = errors.New("wsc: handler panicked")
)
