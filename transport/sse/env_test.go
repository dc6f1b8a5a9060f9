package sse_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/sse"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
)

// env is one hub behind a real HTTP server on loopback, with WebSocket at /ws
// and SSE at /sse.
type env struct {
	sys *actor.ActorSystem
	hub *hub.Hub
	sse *sse.Server
	srv *httptest.Server
}

func newEnv(t testing.TB, cfg hub.Config, opts sse.Options) *env {
	t.Helper()
	sys := actors.NewSystem()
	h, err := hub.New(sys, cfg)
	require.NoError(t, err)
	e := &env{sys: sys, hub: h, sse: sse.Handler(h, opts)}
	mux := http.NewServeMux()
	mux.Handle("GET /ws", ws.Handler(h, ws.Options{}))
	mux.Handle("/sse", e.sse)
	e.srv = httptest.NewServer(mux)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		require.NoError(t, h.Shutdown(ctx))
		e.srv.Close()
		sys.Shutdown()
	})
	return e
}

func (e *env) url(query string) string { return e.srv.URL + "/sse?" + query }

// get sends a GET to /sse and returns the response (the caller closes it).
func (e *env) get(t testing.TB, query string, hdr http.Header) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.url(query), nil)
	require.NoError(t, err)
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := e.srv.Client().Do(req)
	require.NoError(t, err)
	return resp
}

// status is the status of a GET that is expected to be refused.
func (e *env) status(t testing.TB, query string, hdr http.Header) int {
	t.Helper()
	resp := e.get(t, query, hdr)
	resp.Body.Close()
	require.NotEqual(t, http.StatusOK, resp.StatusCode)
	return resp.StatusCode
}

// open starts a stream and reads its session event.
func (e *env) open(t testing.TB, query string, hdr http.Header) *stream {
	t.Helper()
	resp := e.get(t, query, hdr)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	s := &stream{env: e, query: query, resp: resp, events: make(chan event, 256),
		quit: make(chan struct{}), done: make(chan struct{})}
	go s.read()
	t.Cleanup(s.drop)
	first := s.next(t)
	require.Equal(t, "session", first.Type)
	require.False(t, first.HasID, "the session event leaves the last event id alone")
	var data struct{ Session string }
	require.NoError(t, json.Unmarshal([]byte(first.Data), &data))
	require.NotEmpty(t, data.Session)
	s.session = data.Session
	return s
}

// post sends body to /sse and returns the status and the answer's body.
func (e *env) post(t testing.TB, query, body string, hdr http.Header) (int, string) {
	t.Helper()
	status, answer, err := e.tryPost(query, body, hdr)
	require.NoError(t, err)
	return status, answer
}

// tryPost is post for any goroutine.
func (e *env) tryPost(query, body string, hdr http.Header) (int, string, error) {
	req, err := http.NewRequest(http.MethodPost, e.url(query), strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(answer), err
}

// waitConns waits until the hub counts wsN WebSocket and sseN SSE connections.
func (e *env) waitConns(t testing.TB, wsN, sseN int) {
	t.Helper()
	require.Eventually(t, func() bool {
		s, err := e.hub.Stats(context.Background())
		return err == nil && s.WSConnections == wsN && s.SSEConnections == sseN
	}, 10*time.Second, 5*time.Millisecond, "want %d ws and %d sse connections", wsN, sseN)
}

// dial opens a WebSocket on the same hub.
func (e *env) dial(t testing.TB, query string) *websocket.Conn {
	t.Helper()
	c, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(e.srv.URL, "http")+"/ws?"+query, nil)
	require.NoError(t, err)
	resp.Body.Close()
	t.Cleanup(func() { c.Close() })
	return c
}

func readWS(t testing.TB, c *websocket.Conn) *protocol.Message {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, data, err := c.ReadMessage()
	require.NoError(t, err)
	m, err := protocol.Decode(data)
	require.NoError(t, err, string(data))
	return m
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return c
}

// event is one parsed SSE event, or a comment line.
type event struct {
	ID      string
	HasID   bool
	Type    string
	Data    string
	Comment string // set (and nothing else) for a comment line
}

// stream is a minimal SSE client: a goroutine parses the body into events.
type stream struct {
	env     *env
	query   string
	resp    *http.Response
	session string
	events  chan event    // closed when the body ends
	err     error         // why it ended; read after events is closed
	quit    chan struct{} // closed by drop
	done    chan struct{} // closed when the reader returns
}

func (s *stream) read() {
	defer close(s.done)
	defer close(s.events)
	r := bufio.NewReader(s.resp.Body)
	var ev event
	fields := false
	emit := func(ev event) bool {
		select {
		case s.events <- ev:
			return true
		case <-s.quit:
			return false
		}
	}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			s.err = err
			return
		}
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		switch {
		case line == "":
			if fields && !emit(ev) {
				return
			}
			ev, fields = event{}, false
		case strings.HasPrefix(line, ":"):
			if !emit(event{Comment: strings.TrimSpace(line[1:])}) {
				return
			}
		default:
			name, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch name {
			case "id":
				ev.ID, ev.HasID = value, true
			case "event":
				ev.Type = value
			case "data":
				if ev.Data != "" {
					ev.Data += "\n"
				}
				ev.Data += value
			}
			fields = true
		}
	}
}

// drop closes the client's side of the stream, as a client going away does.
func (s *stream) drop() {
	select {
	case <-s.quit:
	default:
		close(s.quit)
	}
	s.resp.Body.Close()
	<-s.done
}

// next is the next event or comment.
func (s *stream) next(t testing.TB) event {
	t.Helper()
	select {
	case ev, ok := <-s.events:
		if !ok {
			t.Fatalf("the stream ended: %v", s.err) // s.err is set before events is closed
		}
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5 s")
		return event{}
	}
}

// msg is the next event that is not a comment, with its frame decoded.
func (s *stream) msg(t testing.TB) (event, *protocol.Message) {
	t.Helper()
	for {
		ev := s.next(t)
		if ev.Comment != "" {
			continue
		}
		m, err := protocol.Decode([]byte(ev.Data))
		require.NoError(t, err, ev.Data)
		require.Equal(t, string(m.Type), ev.Type, "the event is named after the frame's type")
		return ev, m
	}
}

// closed reads until the close event and returns its code; the stream must
// end right after it.
func (s *stream) closed(t testing.TB, within time.Duration) int {
	t.Helper()
	code, err := s.closeCode(within)
	require.NoError(t, err)
	return code
}

// closeCode is closed for any goroutine: it reports failures as errors.
func (s *stream) closeCode(within time.Duration) (int, error) {
	deadline := time.After(within)
	code := 0
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				if code == 0 {
					return 0, fmt.Errorf("the stream ended without a close event: %v", s.err)
				}
				return code, nil
			}
			if code != 0 {
				return code, fmt.Errorf("an event after the close event: %+v", ev)
			}
			if ev.Type == "close" {
				var m protocol.Message
				if err := json.Unmarshal([]byte(ev.Data), &m); err != nil || m.Type != protocol.TypeClose || m.Content == "" || m.Code == 0 {
					return 0, fmt.Errorf("a bad close event %q (%v)", ev.Data, err)
				}
				code = m.Code
			}
		case <-deadline:
			return code, fmt.Errorf("no end of stream within %v (close code %d)", within, code)
		}
	}
}

// send POSTs frame (or an array of frames) for this stream and wants 202.
func (s *stream) send(t testing.TB, body string) {
	t.Helper()
	status, answer := s.env.post(t, s.query+"&session="+s.session, body, nil)
	require.Equal(t, http.StatusAccepted, status, answer)
}
