package ack

import (
	"time"

	"github.com/go-wsc/go-wsc/protocol"
)

// Result is how a tracked message ended.
type Result string

// The results.
const (
	Acknowledged Result = "acknowledged" // the receiver confirmed it
	Rejected     Result = "rejected"     // the receiver answered with an ack of status failed
	Offline      Result = "offline"      // the user had no connection; handed to the offline path
	MaxRetry     Result = "max_retry"    // no ack after every resend; handed to the offline path
)

// Outcome is the end of one tracked (message, user) pair.
type Outcome struct {
	MessageID string
	UserID    string
	Result    Result
	// Resends is how many copies were sent after the first.
	Resends int
	// Error is the receiver's reason for a rejection.
	Error string
	// RTT is the time from the first delivery to the ack (acknowledged, rejected).
	RTT time.Duration
	Msg *protocol.Message
}

// Delivered reports whether the receiver has the message (it answered).
func (o Outcome) Delivered() bool { return o.Result == Acknowledged || o.Result == Rejected }
