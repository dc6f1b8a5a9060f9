package ws_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
)

// env is one hub behind a real HTTP server on loopback.
type env struct {
	sys *actor.ActorSystem
	hub *hub.Hub
	ws  *ws.Server
	srv *httptest.Server
}

func newEnv(t testing.TB, cfg hub.Config, opts ws.Options) *env {
	t.Helper()
	sys := actors.NewSystem()
	h, err := hub.New(sys, cfg)
	require.NoError(t, err)
	e := &env{sys: sys, hub: h, ws: ws.Handler(h, opts)}
	e.srv = httptest.NewServer(e.ws)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		require.NoError(t, h.Shutdown(ctx))
		e.srv.Close()
		sys.Shutdown()
	})
	return e
}

func (e *env) url(query string) string {
	return "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/?" + query
}

// dial connects and waits until the hub has registered the connection.
func (e *env) dial(t testing.TB, query string) *websocket.Conn {
	t.Helper()
	c, resp, err := websocket.DefaultDialer.Dial(e.url(query), nil)
	require.NoError(t, err)
	resp.Body.Close()
	t.Cleanup(func() { c.Close() })
	c.SetPingHandler(func(data string) error { pong(c, data); return nil })
	return c
}

// pong answers a ping and ignores a failed write, unlike gorilla's default
// handler, which ends the next read with the error of a pong that missed its
// 1 s deadline: a reader descheduled that long on a loaded machine (past the
// hub's 30 s keepalive in a long test) failed a healthy client so. Whether
// the connection is still there, the next read says.
func pong(c *websocket.Conn, data string) {
	_ = c.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(10*time.Second))
}

// waitConns waits until the hub counts n connections.
func (e *env) waitConns(t testing.TB, n int) {
	t.Helper()
	require.Eventually(t, func() bool {
		s, err := e.hub.Stats(context.Background())
		return err == nil && s.Connections == n
	}, 10*time.Second, 5*time.Millisecond, "want %d connections", n)
}

func read(t testing.TB, c *websocket.Conn) *protocol.Message {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, data, err := c.ReadMessage()
	require.NoError(t, err)
	m, err := protocol.Decode(data)
	require.NoError(t, err, string(data))
	return m
}

// readClose reads until the connection ends and returns the close code (0 when
// it ended without a close frame).
func readClose(t testing.TB, c *websocket.Conn, within time.Duration) int {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(within)))
	for {
		if _, _, err := c.ReadMessage(); err != nil {
			if ce, ok := err.(*websocket.CloseError); ok {
				return ce.Code
			}
			require.NotContains(t, err.Error(), "timeout", "no close within %v", within)
			return 0
		}
	}
}

func send(t testing.TB, c *websocket.Conn, frame string) {
	t.Helper()
	require.NoError(t, c.WriteMessage(websocket.TextMessage, []byte(frame)))
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return c
}

func status(t testing.TB, url string, hdr http.Header) int {
	t.Helper()
	_, resp, err := websocket.DefaultDialer.Dial(url, hdr)
	require.Error(t, err)
	require.NotNil(t, resp)
	resp.Body.Close()
	return resp.StatusCode
}
