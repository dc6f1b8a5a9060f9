package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
)

// call sends one API request and decodes its JSON answer, whatever the status:
// every answer of the API, errors included, must be JSON.
func call(t testing.TB, method, url, body string) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, "application/json", resp.Header.Get("Content-Type"), "%s %s", method, url)
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out), "%s %s", method, url)
	return resp.StatusCode, out
}

// dial connects a WebSocket client in development mode (query identity) and
// waits until the hub lists its user.
func dial(t *testing.T, s *server, ts *httptest.Server, query string) *websocket.Conn {
	t.Helper()
	c, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/ws?"+query, nil)
	require.NoError(t, err)
	resp.Body.Close()
	t.Cleanup(func() { c.Close() })
	user := strings.TrimPrefix(strings.Split(query, "&")[0], "user_id=")
	require.Eventually(t, func() bool {
		users, err := s.hub.OnlineUsers(context.Background())
		return err == nil && slices.Contains(users, user)
	}, 5*time.Second, 5*time.Millisecond)
	return c
}

// read reads the next frame from c.
func read(t *testing.T, c *websocket.Conn) *protocol.Message {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, data, err := c.ReadMessage()
	require.NoError(t, err)
	m, err := protocol.Decode(data)
	require.NoError(t, err)
	return m
}

// sendAck answers message id from c.
func sendAck(t *testing.T, c *websocket.Conn, id string, status protocol.AckStatus) {
	t.Helper()
	data, err := protocol.Encode(protocol.NewAck(id, status, ""))
	require.NoError(t, err)
	require.NoError(t, c.WriteMessage(websocket.TextMessage, data))
}
