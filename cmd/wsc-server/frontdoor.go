package main

import (
	"net"
	"net/http"
	"time"
)

// httpLimits are the bounds of the HTTP layer, on by default (-h shows them):
// what keeps slow, idle or too many connections from using the server up.
type httpLimits struct {
	// ReadHeaderTimeout bounds the reading of a request's headers.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds the reading of a whole request (headers and body) on
	// the short routes (API, SSE POST, metrics, health). Not on the WebSocket
	// and SSE streams, which live on: set per request (shortRoute), not on
	// the http.Server.
	ReadTimeout time.Duration
	// WriteTimeout bounds the answer of a short route (plus -send-wait for
	// POST /api/send, which may wait for an ack).
	WriteTimeout time.Duration
	// IdleTimeout closes a keep-alive connection idle this long.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds a request's headers (a token in the query
	// string included).
	MaxHeaderBytes int
	// MaxOpen bounds the open connections; zero: nine tenths of the limit
	// on open files. MaxPerAddr bounds them per client address (loopback
	// exempt: a proxy on the same host); zero: no bound.
	MaxOpen, MaxPerAddr int
}

// httpServer is the http.Server of routes with the limits.
func (s *server) httpServer() *http.Server {
	l := s.cfg.HTTP
	return &http.Server{
		Handler:           s.routes(),
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		IdleTimeout:       l.IdleTimeout,
		MaxHeaderBytes:    l.MaxHeaderBytes,
	}
}

// listen opens the public listener, bounded (limitListener).
func (c serverConfig) listen() (*limitListener, error) {
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return nil, err
	}
	maxOpen := c.HTTP.MaxOpen
	if maxOpen == 0 {
		maxOpen = defaultMaxOpen()
	}
	return newLimitListener(ln, maxOpen, c.HTTP.MaxPerAddr, true), nil
}

// shortRoute puts deadlines on a request that is answered and done (the API,
// an SSE POST, metrics): a client that sends its body slowly, or reads the
// answer slowly, loses the connection instead of holding it. The deadlines
// end with the request: net/http resets them before the next one on the
// connection. Zero durations set nothing.
func shortRoute(read, write time.Duration, next http.Handler) http.Handler {
	if read <= 0 && write <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		now := time.Now()
		if read > 0 {
			_ = rc.SetReadDeadline(now.Add(read))
		}
		if write > 0 {
			_ = rc.SetWriteDeadline(now.Add(write))
		}
		next.ServeHTTP(w, r)
	})
}
