package recorder

// Status is the delivery status of a message record.
type Status string

// The eight record statuses.
const (
	StatusPending     Status = "pending"      // accepted, not yet handed to a connection
	StatusSending     Status = "sending"      // being written to the user's connections
	StatusSuccess     Status = "success"      // delivered (and acknowledged, where required)
	StatusFailed      Status = "failed"       // gave up; Reason says why
	StatusRetrying    Status = "retrying"     // a resend is under way
	StatusAckTimeout  Status = "ack_timeout"  // no ack after every resend
	StatusUserOffline Status = "user_offline" // handed to the offline path
	StatusExpired     Status = "expired"      // too old to deliver
)

// Statuses lists the eight statuses, in life-cycle order.
var Statuses = []Status{
	StatusPending, StatusSending, StatusSuccess, StatusFailed,
	StatusRetrying, StatusAckTimeout, StatusUserOffline, StatusExpired,
}

// IsValid reports whether s is one of the eight statuses.
func (s Status) IsValid() bool {
	switch s {
	case StatusPending, StatusSending, StatusSuccess, StatusFailed,
		StatusRetrying, StatusAckTimeout, StatusUserOffline, StatusExpired:
		return true
	}
	return false
}

// IsFinished reports whether s ends a record's delivery: success, failed,
// expired, user_offline or ack_timeout. MaxRecords evicts finished records
// first.
func (s Status) IsFinished() bool {
	switch s {
	case StatusSuccess, StatusFailed, StatusExpired, StatusUserOffline, StatusAckTimeout:
		return true
	}
	return false
}

// isRetryable reports whether a record in status s may be picked by
// GetRetryableRecords.
func (s Status) isRetryable() bool {
	return s == StatusFailed || s == StatusAckTimeout || s == StatusUserOffline
}

// Reason says why a record failed.
type Reason string

// The nine failure reasons.
const (
	ReasonQueueFull    Reason = "queue_full"
	ReasonUserOffline  Reason = "user_offline"
	ReasonConnError    Reason = "conn_error"
	ReasonAckTimeout   Reason = "ack_timeout"
	ReasonSendTimeout  Reason = "send_timeout"
	ReasonNetworkError Reason = "network_error"
	ReasonUnknown      Reason = "unknown"
	ReasonMaxRetry     Reason = "max_retry"
	ReasonExpired      Reason = "expired"
)

// Reasons lists the nine failure reasons.
var Reasons = []Reason{
	ReasonQueueFull, ReasonUserOffline, ReasonConnError, ReasonAckTimeout,
	ReasonSendTimeout, ReasonNetworkError, ReasonUnknown, ReasonMaxRetry, ReasonExpired,
}

// IsValid reports whether r is one of the nine reasons.
func (r Reason) IsValid() bool {
	switch r {
	case ReasonQueueFull, ReasonUserOffline, ReasonConnError, ReasonAckTimeout,
		ReasonSendTimeout, ReasonNetworkError, ReasonUnknown, ReasonMaxRetry, ReasonExpired:
		return true
	}
	return false
}

// statusIndex is s's index in Statuses, -1 for another value.
func statusIndex(s Status) int {
	switch s {
	case StatusPending:
		return 0
	case StatusSending:
		return 1
	case StatusSuccess:
		return 2
	case StatusFailed:
		return 3
	case StatusRetrying:
		return 4
	case StatusAckTimeout:
		return 5
	case StatusUserOffline:
		return 6
	case StatusExpired:
		return 7
	}
	return -1
}

// reasonIndex is r's index in Reasons, -1 for another value.
func reasonIndex(r Reason) int {
	switch r {
	case ReasonQueueFull:
		return 0
	case ReasonUserOffline:
		return 1
	case ReasonConnError:
		return 2
	case ReasonAckTimeout:
		return 3
	case ReasonSendTimeout:
		return 4
	case ReasonNetworkError:
		return 5
	case ReasonUnknown:
		return 6
	case ReasonMaxRetry:
		return 7
	case ReasonExpired:
		return 8
	}
	return -1
}
