package main

import (
	"context"
	"io"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startNode builds a server from command-line flags, as wsc-server would.
func startNode(t *testing.T, args ...string) (*server, *httptest.Server) {
	t.Helper()
	cfg, err := parseConfig(append([]string{"-dev-identity", "-memory"}, args...), io.Discard)
	require.NoError(t, err)
	s, err := newServer(cfg)
	require.NoError(t, err)
	ts := httptest.NewServer(s.routes())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		require.NoError(t, s.shutdown(ctx))
		ts.Close()
	})
	return s, ts
}

// TestTwoServersFormACluster: one server runs NATS embedded, the other joins
// it with -nats; a message sent through the first one's API reaches a client
// of the second.
func TestTwoServersFormACluster(t *testing.T) {
	// a heartbeat that a loaded machine's late ones do not make look like a
	// death (three missed), which would take zoe offline on node a
	a, aURL := startNode(t, "-nats-embedded", "-nats-listen", "127.0.0.1:0", "-node-id", "a", "-cluster-heartbeat", "300ms")
	_, bURL := startNode(t, "-nats", a.nats.ClientURL(), "-node-id", "b", "-cluster-heartbeat", "300ms")

	c, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(bURL.URL, "http")+"/ws?user_id=zoe", nil)
	require.NoError(t, err)
	resp.Body.Close()
	defer c.Close()
	require.Eventually(t, func() bool {
		users, err := a.hub.OnlineUsers(context.Background())
		return err == nil && slices.Contains(users, "zoe")
	}, 5*time.Second, 10*time.Millisecond, "node a sees the user of node b")

	code, out := post(t, aURL.URL+"/api/send", `{"to":"zoe","content":"across the cluster"}`)
	require.Equal(t, 202, code, out)
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, data, err := c.ReadMessage()
	require.NoError(t, err)
	m, err := protocol.Decode(data)
	require.NoError(t, err)
	assert.Equal(t, "across the cluster", m.Content)
	assert.Equal(t, out["id"], m.ID)
}

func TestNATSFlagsExcludeEachOther(t *testing.T) {
	_, err := parseConfig([]string{"-nats", "nats://x:4222", "-nats-embedded"}, io.Discard)
	require.Error(t, err)
}
