package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/transport/auth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testApp is an application behind -connect-hook: it knows two sessions (a
// cookie and a bearer token of its own) and misbehaves on request.
func testApp(t *testing.T, seen chan<- auth.HookRequest) *httptest.Server {
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var hr auth.HookRequest
		if err := json.NewDecoder(r.Body).Decode(&hr); err != nil || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "bad hook request", http.StatusBadRequest) // shows as a 503 the test would see
			return
		}
		select {
		case seen <- hr:
		default:
		}
		answer := func(v string) { w.Header().Set("Content-Type", "application/json"); _, _ = w.Write([]byte(v)) }
		switch q := hr.Query["case"]; {
		case len(q) > 0 && q[0] == "slow":
			<-r.Context().Done() // the server gives up first
		case len(q) > 0 && q[0] == "broken":
			http.Error(w, "boom", http.StatusInternalServerError)
		case len(q) > 0 && q[0] == "garbage":
			answer(`{"user_id": `)
		case len(q) > 0 && q[0] == "nouser":
			answer(`{"user_type": "agent"}`)
		case len(q) > 0 && q[0] == "forbidden":
			http.Error(w, "not for you", http.StatusForbidden)
		case hr.Cookies["session"] == "s-ann":
			answer(`{"user_id": "ann", "user_type": "agent", "tickets": ["T-1"]}`)
		case len(hr.Headers["Authorization"]) > 0 && hr.Headers["Authorization"][0] == "Bearer app-bob":
			answer(`{"user_id": "bob"}`)
		default:
			http.Error(w, "who are you?", http.StatusUnauthorized)
		}
	}))
	t.Cleanup(app.Close)
	return app
}

// TestConnectHook: the application behind -connect-hook sees each
// connection's headers, cookies and query and answers the identity; its 401
// and 403 reach the client; a hook that is slow, fails or answers nonsense
// refuses with 503 and Retry-After (failure policy: closed).
func TestConnectHook(t *testing.T) {
	seen := make(chan auth.HookRequest, 1)
	app := testApp(t, seen)
	s, ts := startServerWith(t, serverConfig{Tokens: tokenConfig{ConnectHook: app.URL, ConnectHookTimeout: time.Second},
		APIKeys: listFlag{testAPIKey}})

	c, _ := dialWS(t, wsURL(ts, "room=5"), http.Header{"Cookie": {"session=s-ann"}, "X-Trace": {"t1"}})
	require.NotNil(t, c)
	hr := <-seen
	assert.Equal(t, "ws", hr.Transport)
	assert.Equal(t, "/ws", hr.Path)
	assert.Equal(t, []string{"5"}, hr.Query["room"])
	assert.Equal(t, "s-ann", hr.Cookies["session"])
	assert.Equal(t, []string{"t1"}, hr.Headers["X-Trace"])
	assert.Contains(t, hr.RemoteAddr, "127.0.0.1:")
	waitOnline(t, s, "ann")
	members, err := s.hub.TicketMembers(t.Context(), "T-1")
	require.NoError(t, err)
	assert.Equal(t, []string{"ann"}, members)

	st := openSSE(t, ts, "", http.Header{"Authorization": {"Bearer app-bob"}})
	assert.Equal(t, "session", st.next(t).event)
	assert.Equal(t, "sse", (<-seen).Transport)
	waitOnline(t, s, "bob")

	for query, want := range map[string]int{
		"":               http.StatusUnauthorized,
		"case=forbidden": http.StatusForbidden,
		"case=slow":      http.StatusServiceUnavailable,
		"case=broken":    http.StatusServiceUnavailable,
		"case=garbage":   http.StatusServiceUnavailable,
		"case=nouser":    http.StatusServiceUnavailable,
	} {
		c, resp := dialWS(t, wsURL(ts, query), nil)
		assert.Nil(t, c)
		assert.Equal(t, want, resp.StatusCode, "ws "+query)
		if want == http.StatusServiceUnavailable {
			assert.Equal(t, "5", resp.Header.Get("Retry-After"))
		}
		sse, err := http.Get(ts.URL + "/sse?" + query)
		require.NoError(t, err)
		sse.Body.Close()
		assert.Equal(t, want, sse.StatusCode, "sse "+query)
	}

	// down altogether
	app.Close()
	c, resp := dialWS(t, wsURL(ts, ""), http.Header{"Cookie": {"session=s-ann"}})
	assert.Nil(t, c)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
}

func TestConnectHookConfig(t *testing.T) {
	for _, tc := range []struct {
		cfg  tokenConfig
		want string
	}{
		{tokenConfig{ConnectHook: "ftp://x"}, "http:// or https://"},
		{tokenConfig{ConnectHook: "http://x", JWTSecret: testSecret}, "excludes"},
	} {
		_, err := newServer(serverConfig{Tokens: tc.cfg, APIKeys: listFlag{testAPIKey}})
		require.ErrorContains(t, err, tc.want)
	}
	_, err := newServer(serverConfig{DevIdentity: true, Tokens: tokenConfig{ConnectHook: "http://x"}})
	require.ErrorIs(t, err, errDevAndTokens)
}
