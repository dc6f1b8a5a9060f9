package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// liveServer is the whole server on a real loopback port, as run serves it,
// that a test can stop and start again on the same address: what a browser
// sees when the server restarts.
type liveServer struct {
	t    *testing.T
	cfg  serverConfig
	addr string
	srv  *server
	http *http.Server
	done chan error // Serve's result
}

func startLive(t *testing.T, cfg serverConfig) *liveServer {
	t.Helper()
	l := &liveServer{t: t, cfg: cfg}
	l.start("127.0.0.1:0")
	t.Cleanup(l.stop)
	return l
}

func (l *liveServer) URL() string { return "http://" + l.addr }

func (l *liveServer) start(addr string) {
	l.t.Helper()
	ln, err := net.Listen("tcp", addr) // Go sets SO_REUSEADDR: the old port is free at once
	require.NoError(l.t, err)
	l.addr = ln.Addr().String()
	srv, err := newServer(l.cfg)
	require.NoError(l.t, err)
	l.srv = srv
	l.http = srv.httpServer()
	l.done = make(chan error, 1)
	go func() { l.done <- l.http.Serve(ln) }()
}

// stop shuts down as run does: the hub (connections closed with 1001), then
// the HTTP server. Idempotent.
func (l *liveServer) stop() {
	if l.srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(l.t, l.srv.shutdown(ctx))
	require.NoError(l.t, l.http.Shutdown(ctx))
	require.ErrorIs(l.t, <-l.done, http.ErrServerClosed)
	l.srv = nil
}

// restart stops the server and starts a new one (a new hub: no state kept)
// on the same address.
func (l *liveServer) restart() {
	l.t.Helper()
	l.stop()
	l.start(l.addr)
}

// onlineUsers asks the current hub.
func (l *liveServer) onlineUsers() ([]string, error) {
	if l.srv == nil {
		return nil, errors.New("stopped")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return l.srv.hub.OnlineUsers(ctx)
}
