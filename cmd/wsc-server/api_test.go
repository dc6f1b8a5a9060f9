package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func startServer(t *testing.T) (*server, *httptest.Server) {
	t.Helper()
	return startServerWith(t, serverConfig{DevIdentity: true})
}

func startServerWith(t *testing.T, cfg serverConfig) (*server, *httptest.Server) {
	t.Helper()
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

func post(t *testing.T, url, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

func TestSendAPI(t *testing.T) {
	s, ts := startServer(t)
	c, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/ws?user_id=bob", nil)
	require.NoError(t, err)
	resp.Body.Close()
	defer c.Close()
	require.Eventually(t, func() bool {
		users, err := s.hub.OnlineUsers(context.Background())
		return err == nil && len(users) == 1
	}, 5*time.Second, 5*time.Millisecond)

	code, out := post(t, ts.URL+"/api/send", `{"to":"bob","type":"notice","content":"hello","data":{"k":1}}`)
	assert.Equal(t, http.StatusAccepted, code)
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, data, err := c.ReadMessage()
	require.NoError(t, err)
	m, err := protocol.Decode(data)
	require.NoError(t, err)
	assert.Equal(t, out["id"], m.ID)
	assert.Equal(t, "hello", m.Content)
	assert.Equal(t, protocol.TypeNotice, m.Type)

	code, out = post(t, ts.URL+"/api/send", `{"to":"nobody","content":"kept"}`)
	assert.Equal(t, http.StatusNotFound, code)
	assert.Contains(t, out["error"], "offline")
	assert.Equal(t, true, out["stored"])

	code, _ = post(t, ts.URL+"/api/send", `{"broadcast":true,"content":"all"}`)
	assert.Equal(t, http.StatusAccepted, code)
	code, _ = post(t, ts.URL+"/api/send", `{"ticket_id":"none","content":"x"}`)
	assert.Equal(t, http.StatusNotFound, code)

	for _, bad := range []string{
		`{"to":"bob"`, `not json`, `{"to":"bob","bogus":1}`, `{"to":"bob","broadcast":true}`, `{}`,
		`{"to":"bob","type":"ack"}`, `{"to":"bob","type":"teleport"}`, `{"to":"bob","priority":"soon"}`, `{"to":"bob"} {}`,
		`{"to":"bob","content":"` + strings.Repeat("x", maxBody) + `"}`,
	} {
		code, out := post(t, ts.URL+"/api/send", bad)
		assert.Equal(t, http.StatusBadRequest, code, bad[:min(len(bad), 40)])
		assert.Contains(t, out["error"], "wsc: ")
	}
}

func TestStatsAndUsersAPI(t *testing.T) {
	_, ts := startServer(t)
	for _, path := range []string{"/api/stats", "/api/users", "/healthz"} {
		resp, err := http.Get(ts.URL + path)
		require.NoError(t, err)
		var out map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, path)
		assert.NotEmpty(t, out, path)
	}
}
