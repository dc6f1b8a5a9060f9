package sse_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/sse"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPingPostsArePongedOnTheStream(t *testing.T) {
	e := newEnv(t, hub.Config{}, sse.Options{})
	s := e.open(t, "user_id=pat", nil)
	e.waitConns(t, 0, 1)

	s.send(t, `{"type":"ping"}`)
	_, m := s.msg(t)
	assert.Equal(t, protocol.TypePong, m.Type)

	s.send(t, ` [ {"type":"ping"}, {"type":"ping"} ] `)
	for range 2 {
		_, m = s.msg(t)
		assert.Equal(t, protocol.TypePong, m.Type)
	}
	// a frame that parses but that the session refuses gets its error on the stream
	s.send(t, `{"content":"no route","msg_id":"m1"}`)
	_, m = s.msg(t)
	assert.Equal(t, protocol.TypeError, m.Type)
	assert.Equal(t, protocol.CodeInvalidFrame, m.Code)
	assert.Equal(t, "m1", m.MessageID)
}

func TestAckPostedOverSSE(t *testing.T) {
	e := newEnv(t, hub.Config{EnableAck: true, AckTimeout: time.Minute}, sse.Options{})
	s := e.open(t, "user_id=ann", nil)
	e.waitConns(t, 0, 1)

	// an ack for an id nobody waits for: 4004 on the stream
	s.send(t, `{"type":"ack","message_id":"never-sent"}`)
	_, m := s.msg(t)
	assert.Equal(t, protocol.TypeError, m.Type)
	assert.Equal(t, protocol.CodeUnknownMessage, m.Code)
	assert.Equal(t, "never-sent", m.MessageID)

	// an ack for a delivered message confirms it, as over WebSocket
	type result struct {
		o   hub.Outcome
		err error
	}
	done := make(chan result, 1)
	c := ctx(t)
	go func() {
		o, err := e.hub.SendToUserWithAck(c, "ann", &protocol.Message{Content: "sign here"})
		done <- result{o, err}
	}()
	ev, m := s.msg(t)
	require.Equal(t, "sign here", m.Content)
	require.True(t, m.RequireAck)
	s.send(t, `{"type":"ack","message_id":"`+ev.ID+`"}`)
	select {
	case r := <-done:
		require.NoError(t, r.err)
		assert.Equal(t, hub.Acknowledged, r.o.Result)
		assert.Equal(t, ev.ID, r.o.MessageID)
	case <-time.After(5 * time.Second):
		t.Fatal("no outcome")
	}
}

func TestBadPosts(t *testing.T) {
	e := newEnv(t, hub.Config{MaxMessageSize: 1024}, sse.Options{})
	s := e.open(t, "user_id=kim", nil)
	e.waitConns(t, 0, 1)
	mine := "user_id=kim&session=" + s.session

	for _, tc := range []struct {
		name, query, body string
		hdr               http.Header
		status            int
	}{
		{"not JSON", mine, `{not json`, nil, http.StatusBadRequest},
		{"empty body", mine, ``, nil, http.StatusBadRequest},
		{"not an object", mine, `"ping"`, nil, http.StatusBadRequest},
		{"unknown type", mine, `{"type":"teleport","to":"x"}`, nil, http.StatusBadRequest},
		{"ack without id", mine, `{"type":"ack"}`, nil, http.StatusBadRequest},
		{"malformed array", mine, `[{"type":"ping"},`, nil, http.StatusBadRequest},
		{"empty array", mine, `[]`, nil, http.StatusBadRequest},
		{"one bad frame in an array", mine, `[{"type":"ping"},42]`, nil, http.StatusBadRequest},
		{"no session", "user_id=kim", `{"type":"ping"}`, nil, http.StatusBadRequest},
		{"unknown session", "user_id=kim&session=NOSUCHSESSION", `{"type":"ping"}`, nil, http.StatusNotFound},
		{"over the size limit", mine, `{"to":"x","content":"` + strings.Repeat("a", 2048) + `"}`, nil, http.StatusRequestEntityTooLarge},
		{"another user", "user_id=mallory&session=" + s.session, `{"type":"ping"}`, nil, http.StatusUnauthorized},
		{"no identity", "session=" + s.session, `{"type":"ping"}`, nil, http.StatusUnauthorized},
		{"bad origin", mine, `{"type":"ping"}`, http.Header{"Origin": {"http://evil.example"}}, http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := e.post(t, tc.query, tc.body, tc.hdr)
			require.Equal(t, tc.status, status, body)
			if status == http.StatusBadRequest {
				m, err := protocol.Decode([]byte(body))
				require.NoError(t, err, "the body is an error frame: %s", body)
				assert.Equal(t, protocol.TypeError, m.Type)
				assert.Equal(t, protocol.CodeInvalidFrame, m.Code)
				assert.True(t, strings.HasPrefix(m.Content, "wsc: "), m.Content)
			}
		})
	}
	// nothing of the refused bodies reached the session: the next event answers this ping
	s.send(t, `{"type":"ping"}`)
	_, m := s.msg(t)
	assert.Equal(t, protocol.TypePong, m.Type)
	st, err := e.hub.Stats(ctx(t))
	require.NoError(t, err)
	assert.Zero(t, st.InvalidFrames)
}

func TestAuthenticateHookDecidesStreamsAndPosts(t *testing.T) {
	e := newEnv(t, hub.Config{}, sse.Options{
		Authenticate: func(r *http.Request) (session.Identity, error) {
			switch r.Header.Get("Authorization") {
			case "Bearer ann":
				return session.Identity{UserID: "ann"}, nil
			case "Bearer bob":
				return session.Identity{UserID: "bob"}, nil
			}
			return session.Identity{}, errors.New("bad token")
		},
		AllowedOrigins: []string{"*.example.com"},
	})
	ann := http.Header{"Authorization": {"Bearer ann"}}
	assert.Equal(t, http.StatusUnauthorized, e.status(t, "user_id=ann", nil), "the query is not trusted with a hook")
	assert.Equal(t, http.StatusForbidden, e.status(t, "", http.Header{"Authorization": {"Bearer ann"}, "Origin": {"https://evil.example"}}))

	resp := e.get(t, "", http.Header{"Authorization": {"Bearer ann"}, "Origin": {"https://app.example.com"}})
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "https://app.example.com", resp.Header.Get("Access-Control-Allow-Origin"), "an allowed origin may read the stream")

	s := e.open(t, "", ann)
	e.waitConns(t, 0, 1)
	status, _ := e.post(t, "session="+s.session, `{"type":"ping"}`, http.Header{"Authorization": {"Bearer bob"}})
	assert.Equal(t, http.StatusUnauthorized, status, "another user's token")
	status, _ = e.post(t, "session="+s.session, `{"type":"ping"}`, ann)
	assert.Equal(t, http.StatusAccepted, status)
	_, m := s.msg(t)
	assert.Equal(t, protocol.TypePong, m.Type)
}

func TestPreflightAndMethods(t *testing.T) {
	e := newEnv(t, hub.Config{}, sse.Options{AllowedOrigins: []string{"app.example.com"}})
	for _, tc := range []struct {
		origin string
		status int
	}{{"https://app.example.com", http.StatusNoContent}, {"https://evil.example", http.StatusForbidden}} {
		req, err := http.NewRequest(http.MethodOptions, e.url(""), nil)
		require.NoError(t, err)
		req.Header.Set("Origin", tc.origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type")
		resp, err := e.srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, tc.status, resp.StatusCode, tc.origin)
		if tc.status == http.StatusNoContent {
			assert.Equal(t, tc.origin, resp.Header.Get("Access-Control-Allow-Origin"))
			assert.Contains(t, resp.Header.Get("Access-Control-Allow-Methods"), "POST")
			assert.Equal(t, "content-type", resp.Header.Get("Access-Control-Allow-Headers"))
		}
	}
	req, err := http.NewRequest(http.MethodPut, e.url("user_id=x"), nil)
	require.NoError(t, err)
	resp, err := e.srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}
