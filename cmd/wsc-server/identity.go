package main

import (
	"errors"

	"github.com/go-wsc/go-wsc/transport/auth"
)

// errNoIdentity is the one-line refusal to start a server that would take
// anyone's word for who they are without being told to.
var errNoIdentity = errors.New("no way to identify clients: set -jwt-secret, -jwks-url, -jwks-file or -connect-hook " +
	"(or -dev-identity to trust ?user_id=, for development only)")

// errDevAndTokens refuses a server told both to check identities and to trust
// the query string: one of the two would be silently ignored.
var errDevAndTokens = errors.New("-dev-identity excludes -jwt-secret, -jwks-url, -jwks-file and -connect-hook")

// authenticator is how the transports identify a caller: nil is the
// development query string (auth.FromQuery), allowed only with -dev-identity.
// It is checked both when the flags are parsed (run refuses to start before
// listening) and in newServer (no server is built open by accident).
func (c serverConfig) authenticator() (auth.Authenticator, error) {
	if c.DevIdentity {
		return nil, nil
	}
	return nil, errNoIdentity
}
