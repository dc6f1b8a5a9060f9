package client

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
)

// waitFor bounds every wait on an event in these tests; nothing sleeps.
const waitFor = 5 * time.Second

const tick = 5 * time.Millisecond

// wsServer is a real gorilla server on 127.0.0.1 whose behaviour each test
// scripts through handle. It records every upgrade request, can refuse them
// (HTTP 503), and on cleanup closes every connection and waits for its
// handlers, so no goroutine outlives a test.
type wsServer struct {
	*httptest.Server
	handle   func(conn *websocket.Conn, n int) // n: 0-based index of the accepted connection
	done     chan struct{}                     // closed at cleanup: handlers blocked on the test stop
	refusing atomic.Bool
	wg       sync.WaitGroup

	mu       sync.Mutex
	dials    []time.Time
	headers  []http.Header
	conns    []*websocket.Conn
	received []string // text frames collected by collect
	recvCh   chan string
}

func newServer(t *testing.T, handle func(s *wsServer, conn *websocket.Conn, n int)) *wsServer {
	t.Helper()
	s := &wsServer{done: make(chan struct{}), recvCh: make(chan string, 4096)}
	s.handle = func(conn *websocket.Conn, n int) { handle(s, conn, n) }
	s.Server = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	t.Cleanup(s.shutdown)
	return s
}

func (s *wsServer) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.wg.Add(1)
	defer s.wg.Done()
	s.mu.Lock()
	s.dials = append(s.dials, time.Now())
	s.headers = append(s.headers, r.Header.Clone())
	s.mu.Unlock()
	if s.refusing.Load() {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	up := websocket.Upgrader{}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	s.mu.Lock()
	n := len(s.conns)
	s.conns = append(s.conns, conn)
	s.mu.Unlock()
	s.handle(conn, n)
}

func (s *wsServer) shutdown() {
	close(s.done)
	s.Server.Close()
	s.dropAll()
	s.wg.Wait()
}

// url is the ws:// address of the server.
func (s *wsServer) url() string { return "ws" + strings.TrimPrefix(s.Server.URL, "http") }

// waitConns waits until the server has registered n connections: the
// client may see its handshake done a moment before the server does.
func (s *wsServer) waitConns(t *testing.T, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return s.connCount() >= n }, waitFor, tick)
}

// dropAll cuts every connection without a close frame, as a crash would.
func (s *wsServer) dropAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		_ = c.NetConn().Close()
	}
}

func (s *wsServer) dialTimes() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.dials)
}

func (s *wsServer) requestHeader(i int) http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.headers[i]
}

func (s *wsServer) dialCount() int { return len(s.dialTimes()) }

func (s *wsServer) connCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// collect reads until the connection ends, recording text frames.
func (s *wsServer) collect(conn *websocket.Conn) error {
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			return err
		}
		s.mu.Lock()
		s.received = append(s.received, string(data))
		s.mu.Unlock()
		s.recvCh <- string(data)
	}
}

func (s *wsServer) receivedFrames() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.received)
}

// next returns the next text frame the server received.
func (s *wsServer) next(t *testing.T) string {
	t.Helper()
	select {
	case m := <-s.recvCh:
		return m
	case <-time.After(waitFor):
		t.Fatal("server received nothing")
		return ""
	}
}

// collectHandler: read and record until the connection ends.
func collectHandler(s *wsServer, conn *websocket.Conn, _ int) { _ = s.collect(conn) }

// echoHandler: send every frame back.
func echoHandler(_ *wsServer, conn *websocket.Conn, _ int) {
	for {
		kind, data, err := conn.ReadMessage()
		if err != nil {
			return
		}
		if conn.WriteMessage(kind, data) != nil {
			return
		}
	}
}

// fast is a Config with short reconnect waits, so tests run in milliseconds.
func fast() *Config {
	return NewDefaultConfig().WithMinRecTime(10 * time.Millisecond).WithMaxRecTime(40 * time.Millisecond)
}

// newTestClient returns a client closed at cleanup.
func newTestClient(t *testing.T, url string, cfg *Config, opts ...Option) *Wsc {
	t.Helper()
	c := New(url, append([]Option{WithConfig(cfg)}, opts...)...)
	t.Cleanup(c.Close)
	return c
}

// recorder logs callbacks as strings, in the order they happen.
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) add(format string, args ...any) {
	r.mu.Lock()
	r.events = append(r.events, fmt.Sprintf(format, args...))
	r.mu.Unlock()
}

func (r *recorder) log() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events)
}

func (r *recorder) count(prefix string) int {
	n := 0
	for _, e := range r.log() {
		if strings.HasPrefix(e, prefix) {
			n++
		}
	}
	return n
}

// waitCount waits until n events start with prefix.
func (r *recorder) waitCount(t *testing.T, prefix string, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return r.count(prefix) >= n }, waitFor, tick,
		"want %d %q events, have %v", n, prefix, r.log())
}

// watch records every callback of c.
func (r *recorder) watch(c *Wsc) {
	c.OnConnected(func() { r.add("connected") })
	c.OnConnectError(func(err error) { r.add("connect-error") })
	c.OnDisconnected(func(err error) { r.add("disconnected") })
	c.OnClose(func(code int, text string) { r.add("close:%d:%s", code, text) })
	c.OnTextMessageSent(func(m string) { r.add("sent:%s", m) })
	c.OnBinaryMessageSent(func(d []byte) { r.add("sent-bin:%x", d) })
	c.OnSentError(func(err error) { r.add("sent-error") })
	c.OnPingReceived(func(d string) { r.add("ping:%s", d) })
	c.OnPongReceived(func(d string) { r.add("pong:%s", d) })
	c.OnTextMessageReceived(func(m string) { r.add("text:%s", m) })
	c.OnBinaryMessageReceived(func(d []byte) { r.add("bin:%x", d) })
}

// hangingListener accepts TCP connections (in the kernel backlog) and never
// answers the HTTP upgrade: a dial to it hangs in the handshake.
func hangingListener(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	return "ws://" + ln.Addr().String() + "/"
}

// connectAsync runs ConnectContext in a goroutine and returns its result.
func connectAsync(ctx context.Context, c *Wsc) <-chan error {
	ch := make(chan error, 1)
	go func() { ch <- c.ConnectContext(ctx) }()
	return ch
}

func recv[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(waitFor):
		t.Fatal("timed out waiting")
		var zero T
		return zero
	}
}

func (c *Wsc) currentState() state {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

// currentLoopDone is the channel closed when the running connection loop
// exits.
func (c *Wsc) currentLoopDone() chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.loopDone
}

// assertClosed checks that ch is closed now, without waiting.
func assertClosed(t *testing.T, ch <-chan struct{}, msg string) {
	t.Helper()
	select {
	case <-ch:
	default:
		t.Error(msg)
	}
}
