package session

import "github.com/go-wsc/go-wsc/protocol"

// Identity is who is on the other end of a connection, as decided by the
// transport's Authenticate hook (or, in development, the query string).
type Identity struct {
	UserID   string
	UserType protocol.UserType
	Role     protocol.UserRole
	// ConnID names the device/connection; registering the same ConnID again for
	// the same user replaces (closes with 3000) the older connection. Empty: a
	// fresh id is made.
	ConnID string
	// Tickets are ticket groups the user joins at registration.
	Tickets  []string
	Metadata map[string]string
	// Credential, when set, is the token the identity was proven with: when it
	// expires the session asks for a new one (refresh.go).
	Credential *Credential
	// LastEventID is the id of the last message a reconnecting client saw (SSE's
	// Last-Event-ID): the hub first sends what it still holds after it.
	LastEventID string
}
