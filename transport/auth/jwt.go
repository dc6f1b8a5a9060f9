package auth

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/golang-jwt/jwt/v5"
)

// Errors of token authentication; each refuses the request with 401.
var (
	ErrNoToken      = errors.New("wsc: a token is required (Authorization: Bearer, a bearer.<token> subprotocol, or ?token=)")
	ErrInvalidToken = errors.New("wsc: invalid token")
	ErrOtherUser    = errors.New("wsc: the new token is for another user")
)

// MaxIDBytes bounds an id taken from a request or a token (user, ticket,
// connection, last event), as the HTTP API does.
const MaxIDBytes = 256

// ErrLongID refuses (400) a last event id over MaxIDBytes.
var ErrLongID = errors.New("wsc: last_event_id over 256 bytes")

// TokenOptions configure JWT authentication. At least one of Secret and Keys
// must be set.
type TokenOptions struct {
	// Secret verifies HS256, HS384 and HS512 tokens; empty: none accepted.
	Secret []byte
	// Keys verify RS256/384/512, PS256/384/512, ES256/384/512 and EdDSA
	// tokens: a *KeySet (a file) or a *RemoteKeys (a URL); nil: none accepted.
	Keys KeySource
	// Audience, when set, must be one of the token's aud; Issuer, when set,
	// must be its iss.
	Audience, Issuer string
	// Claim names of the user type, the role and the tickets (a JSON array of
	// strings, or one string separated by commas or spaces); empty:
	// "user_type", "role", "tickets". sub is always the user id.
	UserTypeClaim, RoleClaim, TicketsClaim string
	// Leeway tolerates clock skew on exp, nbf and iat; zero: none.
	Leeway time.Duration
	// RefreshGrace is how long a live connection whose token expired has to
	// send a new one before it is closed with 4001; zero: 30 s.
	RefreshGrace time.Duration
}

// KeySource finds the public key of a token (KeySet, RemoteKeys). Key does no
// I/O: it runs on a session's mailbox when a token is renewed.
type KeySource interface {
	Key(kid, alg string) (crypto.PublicKey, error)
}

// fetcher is a KeySource that may fetch an unknown kid on a connecting
// request's goroutine (RemoteKeys).
type fetcher interface {
	KeyOrFetch(ctx context.Context, kid, alg string) (crypto.PublicKey, error)
}

// MetaTicketsClaim is set in Identity.Metadata ("true") when the token
// listed the user's tickets: the server may then refuse posts to others.
const MetaTicketsClaim = "wsc.tickets_claim"

// Tokens verifies JWTs: Authenticate for the transports, Verify for anything
// else. Safe for concurrent use; it holds no mutable state of its own.
type Tokens struct {
	opts    TokenOptions
	methods []string
}

// NewTokens checks opts and makes the verifier.
func NewTokens(opts TokenOptions) (*Tokens, error) {
	var methods []string
	if len(opts.Secret) > 0 {
		if len(opts.Secret) < 32 {
			return nil, errors.New("wsc: the JWT secret must be at least 32 bytes (HS256 needs 256 bits)")
		}
		methods = append(methods, "HS256", "HS384", "HS512")
	}
	if opts.Keys != nil {
		methods = append(methods, "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
	}
	if len(methods) == 0 {
		return nil, errors.New("wsc: tokens need a secret or a key set")
	}
	for name, p := range map[string]*string{"user_type": &opts.UserTypeClaim, "role": &opts.RoleClaim, "tickets": &opts.TicketsClaim} {
		if *p == "" {
			*p = name
		}
	}
	if opts.RefreshGrace <= 0 {
		opts.RefreshGrace = 30 * time.Second
	}
	return &Tokens{opts: opts, methods: methods}, nil
}

// Authenticate is an Authenticator: the identity of the token the request
// carries (TokenFrom), with a Credential that lets the session renew it. The
// connection id comes from ?conn_id= (a device name, not a claim).
func (v *Tokens) Authenticate(r *http.Request) (session.Identity, error) {
	raw := TokenFrom(r)
	if raw == "" {
		return session.Identity{}, ErrNoToken
	}
	id, exp, err := v.verify(r.Context(), raw, true)
	if err != nil {
		return session.Identity{}, err
	}
	id.ConnID = r.URL.Query().Get("conn_id")
	if len(id.ConnID) > MaxIDBytes {
		return session.Identity{}, fmt.Errorf("%w: conn_id over %d bytes", ErrBadIdentity, MaxIDBytes)
	}
	user := id.UserID
	id.Credential = &session.Credential{Expires: exp, Grace: v.opts.RefreshGrace, Renew: func(token string) (time.Time, error) {
		next, exp, err := v.verify(context.Background(), token, false) // no fetch: this runs on the session's mailbox
		if err == nil && next.UserID != user {
			err = ErrOtherUser
		}
		return exp, err
	}}
	return id, nil
}

// Verify checks a token and returns its identity and expiry.
func (v *Tokens) Verify(ctx context.Context, raw string) (session.Identity, time.Time, error) {
	return v.verify(ctx, raw, true)
}

func (v *Tokens) verify(ctx context.Context, raw string, mayFetch bool) (session.Identity, time.Time, error) {
	opts := []jwt.ParserOption{jwt.WithValidMethods(v.methods), jwt.WithExpirationRequired(), jwt.WithLeeway(v.opts.Leeway)}
	if v.opts.Audience != "" {
		opts = append(opts, jwt.WithAudience(v.opts.Audience))
	}
	if v.opts.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(v.opts.Issuer))
	}
	claims := jwt.MapClaims{}
	_, err := jwt.NewParser(opts...).ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		return v.key(ctx, t, mayFetch)
	})
	if err != nil {
		return session.Identity{}, time.Time{}, fmt.Errorf("%w: %w", ErrInvalidToken, err)
	}
	id, err := v.identity(claims)
	if err != nil {
		return session.Identity{}, time.Time{}, err
	}
	exp, _ := claims.GetExpirationTime() // required: the parser checked it
	return id, exp.Time, nil
}

// key picks the key by the token's algorithm family: the secret for HS*, the
// key set for the others, so that a public key is never used as an HMAC secret.
func (v *Tokens) key(ctx context.Context, t *jwt.Token, mayFetch bool) (any, error) {
	alg := t.Method.Alg()
	if strings.HasPrefix(alg, "HS") {
		if len(v.opts.Secret) == 0 {
			return nil, ErrNoKey
		}
		return v.opts.Secret, nil
	}
	if v.opts.Keys == nil {
		return nil, ErrNoKey
	}
	kid, _ := t.Header["kid"].(string)
	if f, ok := v.opts.Keys.(fetcher); ok && mayFetch {
		return f.KeyOrFetch(ctx, kid, alg)
	}
	return v.opts.Keys.Key(kid, alg)
}

// identity maps the claims: sub, then the configured user type, role and
// tickets claims, checked as the development query string is.
func (v *Tokens) identity(c jwt.MapClaims) (session.Identity, error) {
	sub, _ := c.GetSubject()
	id := session.Identity{UserID: sub}
	if sub == "" {
		return id, fmt.Errorf("%w: no sub", ErrInvalidToken)
	}
	ut, err := stringClaim(c, v.opts.UserTypeClaim)
	if err != nil {
		return id, err
	}
	role, err := stringClaim(c, v.opts.RoleClaim)
	if err != nil {
		return id, err
	}
	id.UserType, id.Role = protocol.UserType(ut), protocol.UserRole(role)
	tickets, listed, err := listClaim(c, v.opts.TicketsClaim)
	if err != nil {
		return id, err
	}
	id.Tickets = tickets
	if listed {
		id.Metadata = map[string]string{MetaTicketsClaim: "true"}
	}
	return id, completeIdentity(&id)
}

func stringClaim(c jwt.MapClaims, name string) (string, error) {
	switch v := c[name].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	default:
		return "", fmt.Errorf("%w: claim %q is not a string", ErrInvalidToken, name)
	}
}

// listClaim reads a list of ids: a JSON array of strings, or one string
// separated by commas or spaces. listed says whether the claim was there.
func listClaim(c jwt.MapClaims, name string) (out []string, listed bool, err error) {
	switch v := c[name].(type) {
	case nil:
		return nil, false, nil
	case string:
		return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }), true, nil
	case []any:
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, true, fmt.Errorf("%w: claim %q holds a non-string", ErrInvalidToken, name)
			}
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out, true, nil
	default:
		return nil, true, fmt.Errorf("%w: claim %q is not a list", ErrInvalidToken, name)
	}
}
