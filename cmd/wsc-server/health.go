package main

import (
	"errors"
	"net/http"
)

// errDraining is /readyz's answer once shutdown has begun.
var errDraining = errors.New("wsc: draining: the server is shutting down")

// handleHealth is liveness: the process answers HTTP.
func (s *server) handleHealth(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// handleReady is readiness: 503 from the moment shutdown begins (before
// connections are closed), so a load balancer sends new clients elsewhere.
func (s *server) handleReady(w http.ResponseWriter, _ *http.Request) {
	if s.draining.Load() || s.hub.Closed() {
		writeError(w, http.StatusServiceUnavailable, errDraining)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "node_id": s.hub.NodeID()})
}
