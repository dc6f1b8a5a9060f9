package sse

import (
	"errors"
	"net/http"
	"sync/atomic"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/transport/auth"
)

// Errors of the SSE transport, as written in HTTP answers.
var (
	ErrUnknownSession   = session.ErrUnknownSession
	ErrNoSession        = errors.New("wsc: session is required")
	ErrWrongUser        = session.ErrWrongUser
	ErrNoStreaming      = errors.New("wsc: the response writer cannot flush")
	ErrShuttingDown     = auth.ErrShuttingDown
	ErrOriginNotAllowed = auth.ErrOriginNotAllowed
)

// Server serves SSE streams (GET) and their inbound path (POST) for one hub;
// it is an http.Handler.
// Mount it on one path for both methods (and OPTIONS, for cross-origin
// browsers).
type Server struct {
	hub     *hub.Hub
	opts    Options
	streams atomic.Int64
	// prepared counts shared frames formatted as events: once each, however
	// many streams they go to.
	prepared atomic.Int64
}

// Handler makes the SSE handler of h.
func Handler(h *hub.Hub, opts Options) *Server {
	return &Server{hub: h, opts: opts.withDefaults()}
}

// Streams is the number of open streams.
func (s *Server) Streams() int { return int(s.streams.Load()) }

// PreparedEvents is how many shared frames were formatted as SSE events (once
// each).
func (s *Server) PreparedEvents() int64 { return s.prepared.Load() }

// ServeHTTP opens a stream (GET), takes inbound frames (POST) or answers a
// CORS preflight (OPTIONS).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		s.serveStream(w, r)
	case http.MethodPost:
		s.serveInbound(w, r)
	case http.MethodOptions:
		s.servePreflight(w, r)
	default:
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		http.Error(w, "wsc: method not allowed", http.StatusMethodNotAllowed)
	}
}

// allowOrigin applies the origin policy. An allowed request that names an
// Origin gets the CORS headers a browser needs to read the answer.
func (s *Server) allowOrigin(w http.ResponseWriter, r *http.Request) bool {
	if !s.opts.CheckOrigin(r) {
		return false
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
		h.Add("Vary", "Origin")
	}
	return true
}

func (s *Server) servePreflight(w http.ResponseWriter, r *http.Request) {
	if !s.allowOrigin(w, r) {
		http.Error(w, ErrOriginNotAllowed.Error(), http.StatusForbidden)
		return
	}
	h := w.Header()
	h.Set("Allow", "GET, POST, OPTIONS")
	h.Set("Access-Control-Allow-Methods", "GET, POST")
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		h.Set("Access-Control-Allow-Headers", req)
	}
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}
