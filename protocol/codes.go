package protocol

// Close and error codes (PROTOCOL.md, "Close and error codes"). Close codes
// follow WebSocket close-code ranges so one number tells a client whether to
// reconnect; 4xxx codes are error-frame codes, except CloseTokenExpired.
const (
	CloseNormal          = 1000 // client or server closed normally; do not reconnect
	CloseGoingAway       = 1001 // server shutdown or node drain; reconnect
	ClosePolicyViolation = 1008 // authorization revoked; do not reconnect
	CloseInvalidData     = 1007 // a frame that is not UTF-8 (RFC 6455); reconnect
	CloseMessageTooBig   = 1009 // a frame over the size limit; reconnect
	CloseReplaced        = 3000 // the same connection id registered again; do not reconnect
	CloseIdleTimeout     = 3001 // nothing heard within the idle timeout; reconnect
	CloseSlowConsumer    = 3002 // the outbound queue overflowed; reconnect
	CloseRateLimited     = 3003 // inbound rate over the limit; reconnect after backoff
	CloseTokenExpired    = 4001 // the token expired and no new one came in time; reconnect with a new token

	CodeInvalidFrame   = 4000 // error frame: bad JSON, unknown control type, no route
	CodeForbidden      = 4001 // error frame: the authorize hook refused the message
	CodeUnknownMessage = 4004 // error frame: an ack for an id that is not pending
	CodeQueueFull      = 4029 // error frame: the receiver's queue is past its high-water mark; not accepted, send later
)

// ShouldReconnect reports whether a client should reconnect after the server
// closed its connection with code. Unknown codes are treated as transient.
func ShouldReconnect(code int) bool {
	switch code {
	case CloseNormal, ClosePolicyViolation, CloseReplaced:
		return false
	}
	return true
}

// CloseText is the short reason sent with each close code.
func CloseText(code int) string {
	switch code {
	case CloseNormal:
		return "normal closure"
	case CloseGoingAway:
		return "server going away"
	case ClosePolicyViolation:
		return "policy violation"
	case CloseInvalidData:
		return "invalid UTF-8"
	case CloseMessageTooBig:
		return "message too big"
	case CloseReplaced:
		return "connection replaced"
	case CloseIdleTimeout:
		return "idle timeout"
	case CloseSlowConsumer:
		return "slow consumer"
	case CloseRateLimited:
		return "rate limited"
	case CloseTokenExpired:
		return "token expired"
	}
	return "closed"
}
