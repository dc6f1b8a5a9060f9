package sse

import (
	"net/http"
	"time"

	"github.com/go-wsc/go-wsc/transport/auth"
)

// Options configure the SSE handler. Zero values mean the defaults in the
// comments. The stream's timing and bounds come from the hub's Config
// (SSEHeartbeat, SSETimeout, SSEMessageBuffer, MaxQueueBytes, MaxMessageSize).
type Options struct {
	// Authenticate decides who the caller of a GET or POST is; nil: development
	// mode, the identity comes from the query string (auth.FromQuery). Refused:
	// 401.
	Authenticate auth.Authenticator
	// CheckOrigin overrides the origin policy; nil: same host, or one of
	// AllowedOrigins. A refused origin gets 403. An allowed Origin is answered
	// with CORS headers (credentials allowed), and OPTIONS preflights are served.
	CheckOrigin func(r *http.Request) bool
	// AllowedOrigins widens the same-host policy ("*" for any; "*.example.com").
	AllowedOrigins []string
	// WriteWait bounds the writing of each event; a client that does not read
	// for this long loses its stream. Zero: 10 s.
	WriteWait time.Duration
}

func (o Options) withDefaults() Options {
	if o.WriteWait == 0 {
		o.WriteWait = 10 * time.Second
	}
	if o.CheckOrigin == nil {
		o.CheckOrigin = auth.OriginChecker(o.AllowedOrigins)
	}
	return o
}
