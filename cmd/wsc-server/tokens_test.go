package main

import (
	"bufio"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/auth"
	"github.com/golang-jwt/jwt/v5"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testSecret = "a test secret of at least 32 bytes!"

func hs256(t *testing.T, c jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString([]byte(testSecret))
	require.NoError(t, err)
	return s
}

// userClaims are a valid token's claims for sub, good for an hour, with extra.
func userClaims(sub string, extra jwt.MapClaims) jwt.MapClaims {
	c := jwt.MapClaims{"sub": sub, "exp": time.Now().Add(time.Hour).Unix(), "aud": "wsc", "iss": "test-issuer"}
	for k, v := range extra {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

func startTokenServer(t *testing.T, tc tokenConfig) (*server, *httptest.Server) {
	t.Helper()
	if tc.JWTSecret == "" && tc.JWKSURL == "" && tc.JWKSFile == "" {
		tc.JWTSecret = testSecret
	}
	tc.Audience, tc.Issuer = "wsc", "test-issuer"
	return startServerWith(t, serverConfig{Tokens: tc, APIKeys: listFlag{testAPIKey}})
}

func wsURL(ts *httptest.Server, query string) string {
	return "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws?" + query
}

// dialWS connects with hdr and returns the connection (nil when refused)
// and the handshake's status.
func dialWS(t *testing.T, url string, hdr http.Header) (*websocket.Conn, *http.Response) {
	t.Helper()
	c, resp, err := websocket.DefaultDialer.Dial(url, hdr)
	if err != nil {
		require.NotNil(t, resp, err)
		resp.Body.Close()
		return nil, resp
	}
	resp.Body.Close()
	t.Cleanup(func() { c.Close() })
	return c, resp
}

func waitOnline(t *testing.T, s *server, user string) {
	t.Helper()
	require.Eventually(t, func() bool {
		users, err := s.hub.OnlineUsers(context.Background())
		return err == nil && slices.Contains(users, user)
	}, 5*time.Second, 5*time.Millisecond)
}

// TestTokenWaysIn: a token is taken from ?token=, Authorization: Bearer or a
// bearer.<token> subprotocol; its claims give the user, the user type (under
// a configured claim name) and the tickets.
func TestTokenWaysIn(t *testing.T) {
	s, ts := startTokenServer(t, tokenConfig{UserTypeClaim: "kind"})
	tok := func(sub string) string {
		return hs256(t, userClaims(sub, jwt.MapClaims{"kind": "agent", "tickets": []string{"T-9"}}))
	}

	c, _ := dialWS(t, wsURL(ts, "token="+tok("q")), nil)
	require.NotNil(t, c)
	c, _ = dialWS(t, wsURL(ts, ""), http.Header{"Authorization": {"Bearer " + tok("h")}})
	require.NotNil(t, c)
	c, resp := dialWS(t, wsURL(ts, ""), http.Header{"Sec-WebSocket-Protocol": {"wsc, " + auth.SubprotocolPrefix + tok("p")}})
	require.NotNil(t, c)
	assert.Equal(t, "wsc", resp.Header.Get("Sec-WebSocket-Protocol"), "the answer names wsc, not the token")
	for _, u := range []string{"q", "h", "p"} {
		waitOnline(t, s, u)
	}
	members, err := s.hub.TicketMembers(context.Background(), "T-9")
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"q", "h", "p"}, members, "the tickets claim was joined")
	loc, err := s.hub.WhereIs(context.Background(), "q")
	require.NoError(t, err)
	assert.NotEmpty(t, loc)

	ev := openSSE(t, ts, "token="+tok("e"), nil)
	assert.Equal(t, "session", ev.next(t).event)
	waitOnline(t, s, "e")
}

// TestTokenRefusals: every bad token, and none at all, is refused with 401
// by the WebSocket handshake and by the SSE stream, and the development query
// string no longer identifies anyone.
func TestTokenRefusals(t *testing.T) {
	_, ts := startTokenServer(t, tokenConfig{})
	valid := hs256(t, userClaims("ann", nil))
	parts := strings.Split(valid, ".")
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"root","aud":"wsc","iss":"test-issuer","exp":99999999999}`)) + "." + parts[2]
	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, userClaims("ann", nil)).SignedString(jwt.UnsafeAllowNoneSignatureType)
	require.NoError(t, err)
	wrongKey, err := jwt.NewWithClaims(jwt.SigningMethodHS256, userClaims("ann", nil)).SignedString([]byte("some other secret of 32 bytes or more"))
	require.NoError(t, err)

	for name, query := range map[string]string{
		"no token":        "user_id=ann",
		"alg none":        "token=" + none,
		"wrong key":       "token=" + wrongKey,
		"tampered":        "token=" + tampered,
		"wrong audience":  "token=" + hs256(t, userClaims("ann", jwt.MapClaims{"aud": "other"})),
		"wrong issuer":    "token=" + hs256(t, userClaims("ann", jwt.MapClaims{"iss": "evil"})),
		"expired":         "token=" + hs256(t, userClaims("ann", jwt.MapClaims{"exp": time.Now().Add(-2 * time.Second).Unix()})),
		"no expiry":       "token=" + hs256(t, userClaims("ann", jwt.MapClaims{"exp": nil})),
		"long conn_id":    "token=" + valid + "&conn_id=" + strings.Repeat("c", 257),
		"bad type":        "token=" + hs256(t, userClaims("ann", jwt.MapClaims{"user_type": "alien"})),
		"truncated token": "token=" + valid[:len(valid)-5],
	} {
		t.Run(name, func(t *testing.T) {
			c, resp := dialWS(t, wsURL(ts, query), nil)
			assert.Nil(t, c)
			assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "WebSocket")

			resp, err := http.Get(ts.URL + "/sse?" + query)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "SSE")
		})
	}
}

// TestTokenRS256FromJWKS: with -jwks-url the keys come from a JWKS served by
// the identity provider (httptest here); an RS256 token signed by it is
// accepted, one signed by another key under the same kid is not.
func TestTokenRS256FromJWKS(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	doc, err := auth.MarshalKeySet(map[string]crypto.PublicKey{"k1": &key.PublicKey})
	require.NoError(t, err)
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/jwks.json" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(doc)
	}))
	defer idp.Close()

	s, ts := startTokenServer(t, tokenConfig{JWKSURL: idp.URL + "/.well-known/jwks.json"})
	rs256 := func(k *rsa.PrivateKey, sub string) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, userClaims(sub, nil))
		tok.Header["kid"] = "k1"
		signed, err := tok.SignedString(k)
		require.NoError(t, err)
		return signed
	}
	c, _ := dialWS(t, wsURL(ts, "token="+rs256(key, "rosa")), nil)
	require.NotNil(t, c)
	waitOnline(t, s, "rosa")

	c, resp := dialWS(t, wsURL(ts, "token="+rs256(other, "mallory")), nil)
	assert.Nil(t, c)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	c, resp = dialWS(t, wsURL(ts, "token="+hs256(t, userClaims("mallory", nil))), nil)
	assert.Nil(t, c)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "no secret configured: HS256 is refused")

	_, err = newServer(serverConfig{Tokens: tokenConfig{JWKSURL: idp.URL + "/nothing-here"}, APIKeys: listFlag{testAPIKey}})
	require.ErrorContains(t, err, "404", "a JWKS URL that does not answer stops the start")
}

// TestTokenTicketsClaimLimitsPosts: a user whose token lists tickets may
// post to those and is refused (4001 error frame) elsewhere.
func TestTokenTicketsClaimLimitsPosts(t *testing.T) {
	s, ts := startTokenServer(t, tokenConfig{})
	c, _ := dialWS(t, wsURL(ts, "token="+hs256(t, userClaims("tia", jwt.MapClaims{"tickets": "T-1"}))), nil)
	require.NotNil(t, c)
	waitOnline(t, s, "tia")
	require.NoError(t, c.WriteMessage(websocket.TextMessage, []byte(`{"ticket_id":"T-2","content":"hi","msg_id":"m2"}`)))
	m := read(t, c)
	assert.Equal(t, protocol.TypeError, m.Type)
	assert.Equal(t, protocol.CodeForbidden, m.Code)
	assert.Equal(t, "m2", m.MessageID)
	require.NoError(t, c.WriteMessage(websocket.TextMessage, []byte(`{"ticket_id":"T-1","content":"hi","msg_id":"m1"}`)))
	require.NoError(t, c.WriteMessage(websocket.TextMessage, []byte(`{"type":"ping"}`)))
	assert.Equal(t, protocol.TypePong, read(t, c).Type, "T-1 was accepted: no error frame before the pong")
}

// sseStream reads events from an open SSE response.
type sseStream struct {
	rd   *bufio.Reader
	resp *http.Response
}

type sseEvent struct{ event, data string }

func openSSE(t *testing.T, ts *httptest.Server, query string, hdr http.Header) *sseStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", ts.URL+"/sse?"+query, nil)
	require.NoError(t, err)
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { cancel(); resp.Body.Close() })
	require.Equal(t, http.StatusOK, resp.StatusCode)
	return &sseStream{rd: bufio.NewReader(resp.Body), resp: resp}
}

// next returns the next event (comments skipped); the test fails if none
// comes in 5 s or the stream ends.
func (s *sseStream) next(t *testing.T) sseEvent {
	t.Helper()
	got := make(chan sseEvent, 1)
	go func() {
		var ev sseEvent
		for {
			line, err := s.rd.ReadString('\n')
			if err != nil {
				close(got)
				return
			}
			line = strings.TrimRight(line, "\n")
			switch {
			case line == "" && ev.event != "":
				got <- ev
				return
			case strings.HasPrefix(line, "event: "):
				ev.event = line[7:]
			case strings.HasPrefix(line, "data: "):
				ev.data = line[6:]
			}
		}
	}()
	select {
	case ev, ok := <-got:
		require.True(t, ok, "the stream ended")
		return ev
	case <-time.After(5 * time.Second):
		s.resp.Body.Close() // ends the reader
		t.Fatal("no event within 5 s")
		return sseEvent{}
	}
}

// TestJWKSFileReloadsOnSIGHUP: with -jwks-file, a SIGHUP reads the file
// again: a token of the new key is accepted, one of the key taken out is
// not; a file that no longer parses keeps the set in use.
func TestJWKSFileReloadsOnSIGHUP(t *testing.T) {
	oldKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	newKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "jwks.json")
	writeSet := func(kid string, k *rsa.PrivateKey) {
		doc, err := auth.MarshalKeySet(map[string]crypto.PublicKey{kid: &k.PublicKey})
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, doc, 0o600))
	}
	writeSet("old", oldKey)

	var out syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-memory", "-addr", "127.0.0.1:0", "-jwks-file", path, "-api-key", testAPIKey}, &out)
	}()
	defer func() {
		cancel()
		require.NoError(t, <-done)
	}()
	listening := regexp.MustCompile(`listening on (127\.0\.0\.1:\d+)`)
	require.Eventually(t, func() bool { return listening.MatchString(out.String()) }, 10*time.Second, 10*time.Millisecond)
	base := "ws://" + listening.FindStringSubmatch(out.String())[1] + "/ws?token="
	token := func(kid string, k *rsa.PrivateKey) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"sub": "kim", "exp": time.Now().Add(time.Hour).Unix()})
		tok.Header["kid"] = kid
		s, err := tok.SignedString(k)
		require.NoError(t, err)
		return s
	}
	status := func(tok string) int {
		c, resp, err := websocket.DefaultDialer.Dial(base+tok, nil)
		if err == nil {
			c.Close()
		}
		require.NotNil(t, resp)
		resp.Body.Close()
		return resp.StatusCode
	}
	require.Equal(t, http.StatusSwitchingProtocols, status(token("old", oldKey)))
	require.Equal(t, http.StatusUnauthorized, status(token("new", newKey)))

	writeSet("new", newKey)
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGHUP))
	require.Eventually(t, func() bool { return status(token("new", newKey)) == http.StatusSwitchingProtocols }, 10*time.Second, 10*time.Millisecond)
	assert.Equal(t, http.StatusUnauthorized, status(token("old", oldKey)), "the key taken out of the file")

	require.NoError(t, os.WriteFile(path, []byte("{"), 0o600))
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGHUP))
	require.Eventually(t, func() bool { return strings.Contains(out.String(), "keeping the JWKS file") }, 10*time.Second, 10*time.Millisecond)
	assert.Equal(t, http.StatusSwitchingProtocols, status(token("new", newKey)))
}
