package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadyzDrains: /readyz turns 503 as soon as shutdown begins, while the
// hub still serves connections (here, during a drain delay), and /healthz
// stays 200.
func TestReadyzDrains(t *testing.T) {
	s, err := newServer(serverConfig{DevIdentity: true, DrainDelay: time.Hour})
	require.NoError(t, err)
	ts := httptest.NewServer(s.routes())
	defer ts.Close()

	code, out := call(t, "GET", ts.URL+"/readyz", "")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "ready", out["status"])

	ctx, endDelay := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.shutdown(ctx) }()
	require.Eventually(t, func() bool {
		code, _ := call(t, "GET", ts.URL+"/readyz", "")
		return code == http.StatusServiceUnavailable
	}, 5*time.Second, 5*time.Millisecond)
	assert.False(t, s.hub.Closed(), "still draining: connections are not closed yet")
	code, out = call(t, "GET", ts.URL+"/readyz", "")
	assert.Equal(t, http.StatusServiceUnavailable, code)
	assert.Contains(t, out["error"], "wsc: draining")
	code, _ = call(t, "GET", ts.URL+"/healthz", "")
	assert.Equal(t, http.StatusOK, code)

	endDelay() // the shutdown context ends the delay; the hub's shutdown then reports it
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("shutdown did not return")
	}
	// The hub may not have finished within the ended context; finish it.
	stopCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, s.hub.Shutdown(stopCtx))
	code, _ = call(t, "GET", ts.URL+"/readyz", "")
	assert.Equal(t, http.StatusServiceUnavailable, code)
}
