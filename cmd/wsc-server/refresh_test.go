package main

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/client"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/golang-jwt/jwt/v5"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testGrace = 1500 * time.Millisecond // room for a loaded machine between the ask and the answer

// shortToken is good for two to three seconds (exp counts whole seconds).
func shortToken(t *testing.T, sub string) string {
	return hs256(t, userClaims(sub, jwt.MapClaims{"exp": time.Now().Add(3 * time.Second).Unix()}))
}

// refreshAsk reads frames until the server's refresh frame and returns its
// deadline.
func refreshAsk(t *testing.T, c *websocket.Conn) time.Time {
	t.Helper()
	for {
		m := read(t, c)
		if m.Type != protocol.TypeRefresh {
			continue
		}
		deadline, err := time.Parse(time.RFC3339Nano, m.Data["deadline"].(string))
		require.NoError(t, err)
		return deadline
	}
}

// waitPast blocks until the deadline is well past: what a test must do to
// show that something did not happen at it.
func waitPast(deadline time.Time) {
	<-time.After(time.Until(deadline) + 200*time.Millisecond)
}

func writeFrame(t *testing.T, c *websocket.Conn, frame string) {
	t.Helper()
	require.NoError(t, c.WriteMessage(websocket.TextMessage, []byte(frame)))
}

// TestRefreshKeepsTheConnection: when the token expires the server sends a
// refresh frame; a new token for the same user within the grace period keeps
// the connection open past the deadline.
func TestRefreshKeepsTheConnection(t *testing.T) {
	t.Parallel() // each refresh test waits out a token's life: run them side by side
	s, ts := startTokenServer(t, tokenConfig{RefreshGrace: testGrace})
	c, _ := dialWS(t, wsURL(ts, "token="+shortToken(t, "rex")), nil)
	require.NotNil(t, c)
	waitOnline(t, s, "rex")

	deadline := refreshAsk(t, c)
	assert.WithinDuration(t, time.Now().Add(testGrace), deadline, testGrace)
	writeFrame(t, c, `{"type":"refresh","content":"`+hs256(t, userClaims("rex", nil))+`"}`)
	waitPast(deadline)
	writeFrame(t, c, `{"type":"ping"}`)
	assert.Equal(t, protocol.TypePong, read(t, c).Type, "still open after the deadline")
}

// TestRefreshMissedCloses4001: no new token, or a bad one, and the
// connection is closed with 4001 at the end of the grace period.
func TestRefreshMissedCloses4001(t *testing.T) {
	t.Parallel()
	s, ts := startTokenServer(t, tokenConfig{RefreshGrace: testGrace})
	for name, answer := range map[string]string{
		"silent":       "",
		"another user": hs256(t, userClaims("eve", nil)),
		"expired":      hs256(t, userClaims("sam-expired", jwt.MapClaims{"exp": time.Now().Add(-time.Minute).Unix()})),
		"wrong key":    strings.Replace(hs256(t, userClaims("sam-wrong key", nil)), ".", ".x", 1),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			user := "sam-" + name
			c, _ := dialWS(t, wsURL(ts, "token="+shortToken(t, user)), nil)
			require.NotNil(t, c)
			waitOnline(t, s, user)
			refreshAsk(t, c)
			if answer != "" {
				writeFrame(t, c, `{"type":"refresh","content":"`+answer+`","msg_id":"r1"}`)
				m := read(t, c)
				assert.Equal(t, protocol.TypeError, m.Type)
				assert.Equal(t, protocol.CodeForbidden, m.Code, m.Content)
			}
			require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
			_, _, err := c.ReadMessage()
			var ce *websocket.CloseError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, protocol.CloseTokenExpired, ce.Code)
		})
	}
}

// TestRefreshNeedsAToken: a development-mode connection has nothing to
// refresh: the frame is refused (4000) and the connection stays.
func TestRefreshNeedsAToken(t *testing.T) {
	s, ts := startServer(t)
	c := dial(t, s, ts, "user_id=dev")
	writeFrame(t, c, `{"type":"refresh","content":"x"}`)
	m := read(t, c)
	assert.Equal(t, protocol.TypeError, m.Type)
	assert.Equal(t, protocol.CodeInvalidFrame, m.Code)
}

// TestRefreshOverSSE: an SSE stream gets the refresh event and answers it
// through the POST path (authenticated by the new token).
func TestRefreshOverSSE(t *testing.T) {
	t.Parallel()
	s, ts := startTokenServer(t, tokenConfig{RefreshGrace: testGrace})
	st := openSSE(t, ts, "token="+shortToken(t, "sia"), nil)
	first := st.next(t)
	require.Equal(t, "session", first.event)
	sid := strings.TrimSuffix(strings.TrimPrefix(first.data, `{"session":"`), `"}`)
	waitOnline(t, s, "sia")

	var ev sseEvent
	for ev.event != string(protocol.TypeRefresh) {
		ev = st.next(t)
	}
	m, err := protocol.Decode([]byte(ev.data))
	require.NoError(t, err)
	deadline, err := time.Parse(time.RFC3339Nano, m.Data["deadline"].(string))
	require.NoError(t, err)

	fresh := hs256(t, userClaims("sia", nil))
	post := func(frame string) int {
		req, err := http.NewRequest("POST", ts.URL+"/sse?session="+sid, strings.NewReader(frame))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+fresh)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	require.Equal(t, http.StatusAccepted, post(`{"type":"refresh","content":"`+fresh+`"}`))
	waitPast(deadline)
	require.Equal(t, http.StatusAccepted, post(`{"type":"ping"}`))
	for ev.event != string(protocol.TypePong) {
		ev = st.next(t)
		require.NotEqual(t, "close", ev.event, ev.data)
	}
}

// TestGoClientRefreshesItsToken: the Go client (client.HubClient) connects
// with a token in Authorization and answers the server's refresh frame from
// an OnMessage handler; it is still connected after the deadline.
func TestGoClientRefreshesItsToken(t *testing.T) {
	t.Parallel()
	s, ts := startTokenServer(t, tokenConfig{RefreshGrace: testGrace})
	c := client.NewHubClient(wsURL(ts, ""), client.WithHeader(http.Header{"Authorization": {"Bearer " + shortToken(t, "gopher")}}),
		client.WithConfig(client.NewDefaultConfig().WithAutoReconnect(false)))
	defer c.Close()
	deadlines := make(chan time.Time, 1)
	fresh := hs256(t, userClaims("gopher", nil)) // what the application would fetch from its identity provider
	c.OnMessage(protocol.TypeRefresh, func(m *protocol.Message) {
		deadline, _ := time.Parse(time.RFC3339Nano, m.Data["deadline"].(string))
		_ = c.SendMessage(&protocol.Message{Type: protocol.TypeRefresh, Content: fresh})
		deadlines <- deadline
	})
	pongs := make(chan struct{}, 1)
	c.OnMessage(protocol.TypePong, func(*protocol.Message) { pongs <- struct{}{} })
	require.NoError(t, c.ConnectContext(t.Context()))
	waitOnline(t, s, "gopher")

	var deadline time.Time
	select {
	case deadline = <-deadlines:
	case <-time.After(10 * time.Second):
		t.Fatal("no refresh frame")
	}
	waitPast(deadline)
	require.NoError(t, c.Ping())
	select {
	case <-pongs:
	case <-time.After(5 * time.Second):
		t.Fatal("no pong: the connection did not outlive its first token")
	}
	assert.True(t, c.IsConnected())
}

// TestGoClientRedialsWithAFreshToken: a Go client that does not answer
// refresh frames is closed with 4001 when its token runs out, and its
// reconnection takes a new token from WithHeaderFunc, not the expired one.
func TestGoClientRedialsWithAFreshToken(t *testing.T) {
	t.Parallel()
	s, ts := startTokenServer(t, tokenConfig{RefreshGrace: 100 * time.Millisecond})
	tokens := make(chan string, 2)
	tokens <- shortToken(t, "redial")
	tokens <- hs256(t, userClaims("redial", nil))
	c := client.NewHubClient(wsURL(ts, ""),
		client.WithHeaderFunc(func(context.Context) (http.Header, error) {
			select {
			case tok := <-tokens:
				return http.Header{"Authorization": {"Bearer " + tok}}, nil
			default:
				return nil, errors.New("no more tokens")
			}
		}),
		client.WithConfig(client.NewDefaultConfig().WithMinRecTime(10*time.Millisecond).WithMaxRecTime(50*time.Millisecond)))
	defer c.Close()
	connected := make(chan struct{}, 2)
	closes := make(chan int, 2)
	c.OnConnected(func() { connected <- struct{}{} })
	c.OnClose(func(code int, _ string) { closes <- code })
	require.NoError(t, c.ConnectContext(t.Context()))
	waitOnline(t, s, "redial")
	<-connected

	select {
	case code := <-closes:
		assert.Equal(t, protocol.CloseTokenExpired, code)
	case <-time.After(10 * time.Second):
		t.Fatal("the connection outlived its token")
	}
	select {
	case <-connected:
	case <-time.After(10 * time.Second):
		t.Fatal("no reconnection with the fresh token")
	}
	assert.Empty(t, tokens, "each dial took a token of its own")
}
