package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/go-wsc/go-wsc/transport/auth"
)

// tokenConfig is how the tokens of /ws and /sse clients are checked
// (serverConfig.DevIdentity is the other way, for development only).
type tokenConfig struct {
	// JWTSecret verifies HS256/384/512 tokens.
	JWTSecret string
	// JWKSURL (fetched and kept fresh) or JWKSFile verify RS*, PS*, ES* and
	// EdDSA tokens.
	JWKSURL, JWKSFile string
	// Audience and Issuer, when set, must match the token's aud and iss.
	Audience, Issuer string
	// Claim names of the user type, the role and the tickets.
	UserTypeClaim, RoleClaim, TicketsClaim string
	// RefreshGrace is how long a connection whose token expired has to send a
	// new one before it is closed with 4001.
	RefreshGrace time.Duration
	// Leeway tolerates clock skew on exp, nbf and iat.
	Leeway time.Duration
	// ConnectHook, instead of tokens, asks the application at this URL who
	// each connecting client is (auth.ConnectHook), waiting at most
	// ConnectHookTimeout.
	ConnectHook        string
	ConnectHookTimeout time.Duration
}

// errNoIdentity is the one-line refusal to start a server that would take
// anyone's word for who they are without being told to.
var errNoIdentity = errors.New("no way to identify clients: set -jwt-secret, -jwks-url, -jwks-file or -connect-hook " +
	"(or -dev-identity to trust ?user_id=, for development only)")

// errDevAndTokens refuses a server told both to check identities and to trust
// the query string: one of the two would be silently ignored.
var errDevAndTokens = errors.New("-dev-identity excludes -jwt-secret, -jwks-url, -jwks-file and -connect-hook")

func (c tokenConfig) jwt() bool { return c.JWTSecret != "" || c.JWKSURL != "" || c.JWKSFile != "" }

func (c tokenConfig) set() bool { return c.jwt() || c.ConnectHook != "" }

// checkIdentity is what can be told without I/O: run calls it before
// listening, and newServer again (no server is built open by accident).
func (c serverConfig) checkIdentity() error {
	switch {
	case c.DevIdentity && c.Tokens.set():
		return errDevAndTokens
	case !c.DevIdentity && !c.Tokens.set():
		return errNoIdentity
	case c.Tokens.JWKSURL != "" && c.Tokens.JWKSFile != "":
		return errors.New("-jwks-url and -jwks-file exclude each other")
	case c.Tokens.ConnectHook != "" && c.Tokens.jwt():
		return errors.New("-connect-hook excludes -jwt-secret, -jwks-url and -jwks-file: the hook decides alone")
	case c.Tokens.ConnectHook != "":
		if u, err := url.Parse(c.Tokens.ConnectHook); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("-connect-hook %q: an http:// or https:// URL is needed", c.Tokens.ConnectHook)
		}
	}
	return nil
}

// identity is how the transports identify a caller, and what that holds.
type identity struct {
	// authn is nil for the development query string, allowed only with
	// DevIdentity.
	authn auth.Authenticator
	// stop releases what it holds (the JWKS refresher); never nil.
	stop func()
	// reload reads a -jwks-file again (on SIGHUP); nil: nothing to reload.
	reload func() error
}

// identity builds how clients are identified; the first fetch of a JWKS URL
// waits at most until ctx ends.
func (sc serverConfig) identity(ctx context.Context) (identity, error) {
	id := identity{stop: func() {}}
	if err := sc.checkIdentity(); err != nil {
		return id, err
	}
	if sc.DevIdentity {
		return id, nil
	}
	c := sc.Tokens
	if c.ConnectHook != "" {
		id.authn = auth.ConnectHook(auth.HookOptions{URL: c.ConnectHook, Timeout: c.ConnectHookTimeout})
		return id, nil
	}
	opts := auth.TokenOptions{Secret: []byte(c.JWTSecret), Audience: c.Audience, Issuer: c.Issuer,
		UserTypeClaim: c.UserTypeClaim, RoleClaim: c.RoleClaim, TicketsClaim: c.TicketsClaim,
		RefreshGrace: c.RefreshGrace, Leeway: c.Leeway}
	switch {
	case c.JWKSFile != "":
		keys, err := auth.NewFileKeys(c.JWKSFile)
		if err != nil {
			return id, fmt.Errorf("-jwks-file: %w", err)
		}
		opts.Keys, id.reload = keys, keys.Reload
	case c.JWKSURL != "":
		keys, err := auth.NewRemoteKeys(ctx, c.JWKSURL, auth.RemoteKeysOptions{})
		if err != nil {
			return id, fmt.Errorf("-jwks-url: %w", err)
		}
		opts.Keys, id.stop = keys, keys.Close
	}
	tokens, err := auth.NewTokens(opts)
	if err != nil {
		id.stop()
		return identity{stop: func() {}}, err
	}
	id.authn = tokens.Authenticate
	return id, nil
}
