package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// StatusError is an authentication refusal with its own HTTP status (403
// forbidden, 503 the identity service is down); any other error of an
// Authenticator is a 401.
type StatusError struct {
	Code int
	Err  error
}

func (e *StatusError) Error() string { return e.Err.Error() }
func (e *StatusError) Unwrap() error { return e.Err }

// Errors of the connect hook.
var (
	ErrHookRefused     = errors.New("wsc: refused by the connect hook")
	ErrHookUnavailable = errors.New("wsc: the connect hook did not answer")
)

// HookOptions configure a connect hook.
type HookOptions struct {
	// URL receives a POST per connection; required.
	URL string
	// Timeout bounds each call; zero: 5 s.
	Timeout time.Duration
	// Client makes the calls; nil: a client with no timeout of its own
	// (Timeout applies through the request's context).
	Client *http.Client
}

// HookRequest is what the connect hook receives, as JSON: the connecting
// request's headers (Authorization and Cookie included: the application
// decides with its own session or token), cookies, query and transport.
type HookRequest struct {
	Transport  string              `json:"transport"` // "ws" or "sse"
	Method     string              `json:"method"`
	Path       string              `json:"path"`
	Query      map[string][]string `json:"query"`
	Headers    map[string][]string `json:"headers"`
	Cookies    map[string]string   `json:"cookies"`
	RemoteAddr string              `json:"remote_addr"`
}

// HookAnswer is what the hook answers with 200: the identity. Any other
// status refuses: 401 and 403 pass through to the client, anything else is
// a failure of the hook.
type HookAnswer struct {
	UserID   string   `json:"user_id"`
	UserType string   `json:"user_type"`
	Role     string   `json:"role"`
	Tickets  []string `json:"tickets"`
	ConnID   string   `json:"conn_id"`
}

// maxHookAnswer bounds the hook's answer.
const maxHookAnswer = 64 << 10

// ConnectHook is an Authenticator that asks the application (Centrifugo's
// connect proxy is the model): for backends not written in Go. It runs on
// the connecting request's goroutine.
//
// Failure policy: closed. A hook that times out, fails, answers a status
// other than 200, 401 or 403, or an answer that does not parse or holds no
// valid identity, refuses the connection with 503 (Retry-After: 5): clients
// reconnect with backoff, and nobody gets in unchecked while the hook is
// down. Connections already open are not affected.
func ConnectHook(opts HookOptions) Authenticator {
	if opts.Timeout <= 0 {
		opts.Timeout = 5 * time.Second
	}
	if opts.Client == nil {
		opts.Client = &http.Client{}
	}
	return func(r *http.Request) (session.Identity, error) {
		body, err := json.Marshal(hookRequest(r))
		if err != nil {
			return session.Identity{}, unavailable(err)
		}
		ctx, cancel := context.WithTimeout(r.Context(), opts.Timeout)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, opts.URL, bytes.NewReader(body))
		if err != nil {
			return session.Identity{}, unavailable(err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := opts.Client.Do(req)
		if err != nil {
			return session.Identity{}, unavailable(err)
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(io.LimitReader(resp.Body, maxHookAnswer+1))
		switch {
		case err != nil:
			return session.Identity{}, unavailable(err)
		case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
			return session.Identity{}, &StatusError{Code: resp.StatusCode, Err: ErrHookRefused}
		case resp.StatusCode != http.StatusOK:
			return session.Identity{}, unavailable(fmt.Errorf("status %s", resp.Status))
		case len(data) > maxHookAnswer:
			return session.Identity{}, unavailable(fmt.Errorf("an answer over %d bytes", maxHookAnswer))
		}
		var a HookAnswer
		if err := json.Unmarshal(data, &a); err != nil {
			return session.Identity{}, unavailable(fmt.Errorf("its answer: %w", err))
		}
		id := session.Identity{UserID: strings.TrimSpace(a.UserID), UserType: protocol.UserType(a.UserType),
			Role: protocol.UserRole(a.Role), Tickets: a.Tickets, ConnID: a.ConnID}
		if id.ConnID == "" {
			id.ConnID = r.URL.Query().Get("conn_id")
		}
		if id.UserID == "" {
			return id, unavailable(errors.New("its answer names no user_id"))
		}
		if err := completeIdentity(&id); err != nil {
			return id, unavailable(err)
		}
		return id, nil
	}
}

func unavailable(err error) error {
	return &StatusError{Code: http.StatusServiceUnavailable, Err: fmt.Errorf("%w: %w", ErrHookUnavailable, err)}
}

func hookRequest(r *http.Request) HookRequest {
	hr := HookRequest{Transport: "sse", Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(),
		Headers: r.Header.Clone(), Cookies: map[string]string{}, RemoteAddr: r.RemoteAddr}
	if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		hr.Transport = "ws"
	}
	for _, c := range r.Cookies() {
		hr.Cookies[c.Name] = c.Value
	}
	return hr
}
