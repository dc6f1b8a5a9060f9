package hub

import (
	"time"

	"github.com/go-wsc/go-wsc/actors/ack"
)

// Outcome is how a message that required an ack ended for one user.
type Outcome = ack.Outcome

// Result is an Outcome's result.
type Result = ack.Result

// The results an Outcome can have.
const (
	Acknowledged = ack.Acknowledged
	Rejected     = ack.Rejected
	Offline      = ack.Offline
	MaxRetry     = ack.MaxRetry
)

// AckOption overrides the hub's ack settings for one message.
type AckOption func(*AckRequest)

// WithAckTimeout sets the first wait for this message's ack.
func WithAckTimeout(d time.Duration) AckOption { return func(r *AckRequest) { r.Timeout = d } }

// WithMaxRetry sets how many copies of this message are resent (negative: none).
func WithMaxRetry(n int) AckOption { return func(r *AckRequest) { r.MaxRetry = n } }

// outcomeErr is the error SendToUserWithAck returns with an outcome.
func outcomeErr(o Outcome) error {
	switch o.Result {
	case Rejected:
		return ErrAckRejected
	case Offline:
		return ErrUserOffline
	case MaxRetry:
		return ErrMaxRetry
	}
	return nil
}
