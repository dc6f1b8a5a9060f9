package auth

import (
	"errors"
	"net/http"

	"github.com/go-wsc/go-wsc/actors/session"
)

// Errors of the checks every transport makes before it serves a request.
var (
	ErrShuttingDown     = errors.New("wsc: server shutting down")
	ErrOriginNotAllowed = errors.New("wsc: origin not allowed")
)

// Admit runs the checks every transport makes, in the same order: 503 while
// the hub shuts down (closed), 401 for a refused identity (authn, nil: the
// development query string; a StatusError chooses another status), 403 for a
// refused origin. When it refuses it has
// answered the request; otherwise it returns the caller's identity.
func Admit(w http.ResponseWriter, r *http.Request, closed bool, authn Authenticator, origin func(*http.Request) bool) (session.Identity, bool) {
	if closed {
		http.Error(w, ErrShuttingDown.Error(), http.StatusServiceUnavailable)
		return session.Identity{}, false
	}
	id, err := Identify(r, authn)
	if err != nil {
		code := http.StatusUnauthorized
		if se := (*StatusError)(nil); errors.As(err, &se) {
			code = se.Code
			if code == http.StatusServiceUnavailable {
				w.Header().Set("Retry-After", "5")
			}
		}
		http.Error(w, err.Error(), code)
		return session.Identity{}, false
	}
	if !origin(r) {
		http.Error(w, ErrOriginNotAllowed.Error(), http.StatusForbidden)
		return session.Identity{}, false
	}
	return id, true
}
