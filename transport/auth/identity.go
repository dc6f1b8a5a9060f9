package auth

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// Authenticator decides who the caller of an upgrade or stream request is; an
// error refuses the request with 401 and no session is made.
type Authenticator func(r *http.Request) (session.Identity, error)

// ErrNoUserID refuses a development-mode request without user_id.
var ErrNoUserID = errors.New("wsc: user_id is required")

// ErrBadIdentity refuses an identity with an unknown user_type or role, or
// an id over MaxIDBytes.
var ErrBadIdentity = errors.New("wsc: invalid identity")

// FromQuery is the development-mode identity: user_id (required), user_type,
// role, ticket_id (repeatable or comma-separated) and conn_id from the query
// string. It trusts the caller completely: production servers set an
// Authenticator instead.
func FromQuery(r *http.Request) (session.Identity, error) {
	q := r.URL.Query()
	id := session.Identity{
		UserID:   strings.TrimSpace(q.Get("user_id")),
		UserType: protocol.UserType(q.Get("user_type")),
		Role:     protocol.UserRole(q.Get("role")),
		ConnID:   q.Get("conn_id"),
	}
	if id.UserID == "" {
		return id, ErrNoUserID
	}
	for _, v := range q["ticket_id"] {
		for _, t := range strings.Split(v, ",") {
			if t = strings.TrimSpace(t); t != "" {
				id.Tickets = append(id.Tickets, t)
			}
		}
	}
	return id, completeIdentity(&id)
}

// MaxHandshakeTickets bounds the tickets a connection joins as it registers.
const MaxHandshakeTickets = 100

// completeIdentity fills the defaults (user type customer, the role of the
// user type) and checks the enums and the ids' lengths, for every way of
// identifying a caller.
func completeIdentity(id *session.Identity) error {
	if id.UserType == "" {
		id.UserType = protocol.UserTypeCustomer
	}
	if id.Role == "" {
		id.Role = protocol.UserRole(id.UserType)
		if !id.Role.IsValid() {
			id.Role = protocol.RoleCustomer
		}
	}
	if !id.UserType.IsValid() {
		return fmt.Errorf("%w: user_type %q", ErrBadIdentity, id.UserType)
	}
	if !id.Role.IsValid() {
		return fmt.Errorf("%w: role %q", ErrBadIdentity, id.Role)
	}
	if len(id.UserID) > MaxIDBytes || len(id.ConnID) > MaxIDBytes {
		return fmt.Errorf("%w: user_id or conn_id over %d bytes", ErrBadIdentity, MaxIDBytes)
	}
	if len(id.Tickets) > MaxHandshakeTickets {
		return fmt.Errorf("%w: %d tickets, at most %d at connection", ErrBadIdentity, len(id.Tickets), MaxHandshakeTickets)
	}
	for _, t := range id.Tickets {
		if len(t) > MaxIDBytes {
			return fmt.Errorf("%w: ticket_id over %d bytes", ErrBadIdentity, MaxIDBytes)
		}
	}
	return nil
}

// Identify runs authn, or FromQuery when authn is nil.
func Identify(r *http.Request, authn Authenticator) (session.Identity, error) {
	if authn == nil {
		return FromQuery(r)
	}
	id, err := authn(r)
	if err == nil && id.UserID == "" {
		err = ErrNoUserID
	}
	return id, err
}
