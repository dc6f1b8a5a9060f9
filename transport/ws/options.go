package ws

import (
	"net/http"
	"time"

	"github.com/go-wsc/go-wsc/transport/auth"
)

// Options configure the WebSocket handler. Zero values mean the defaults in the
// comments.
type Options struct {
	// Authenticate decides who connects; nil: development mode, the identity
	// comes from the query string (auth.FromQuery). Refused: 401, no session.
	Authenticate auth.Authenticator
	// CheckOrigin overrides the origin policy; nil: same host, or one of
	// AllowedOrigins.
	CheckOrigin func(r *http.Request) bool
	// AllowedOrigins widens the same-host policy ("*" for any; "*.example.com").
	AllowedOrigins []string
	// ReadBufferSize and WriteBufferSize are gorilla's I/O buffer sizes; zero: 1024.
	// Write buffers come from a shared pool, so idle connections hold none.
	ReadBufferSize, WriteBufferSize int
	// WriteWait bounds each write: one that blocks fails after WriteWait to
	// 1.5×WriteWait (the deadline is re-armed only when less than WriteWait
	// is left of it, not for every write); zero: 10 s.
	WriteWait time.Duration
	// CloseGrace is how long the writer waits for the peer's answer to a close
	// frame before dropping the TCP connection; zero: 1 s.
	CloseGrace time.Duration
}

func (o Options) withDefaults() Options {
	if o.ReadBufferSize == 0 {
		o.ReadBufferSize = 1024
	}
	if o.WriteBufferSize == 0 {
		o.WriteBufferSize = 1024
	}
	if o.WriteWait == 0 {
		o.WriteWait = 10 * time.Second
	}
	if o.CloseGrace == 0 {
		o.CloseGrace = time.Second
	}
	if o.CheckOrigin == nil {
		o.CheckOrigin = auth.OriginChecker(o.AllowedOrigins)
	}
	return o
}
