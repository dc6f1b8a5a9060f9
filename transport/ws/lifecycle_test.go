package ws_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBadFramesGetErrorFramesAndTheConnectionStays(t *testing.T) {
	e := newEnv(t, hub.Config{}, ws.Options{})
	c := e.dial(t, "user_id=zed")
	e.waitConns(t, 1)
	for _, frame := range []string{`{not json`, `{"type":"teleport","to":"x"}`, `{"content":"no route"}`, `{"type":"welcome","to":"x"}`} {
		send(t, c, frame)
		m := read(t, c)
		assert.Equal(t, protocol.TypeError, m.Type, frame)
		assert.Equal(t, protocol.CodeInvalidFrame, m.Code, frame)
		assert.True(t, strings.HasPrefix(m.Content, "wsc: "), m.Content)
	}
	send(t, c, `{"type":"ack","message_id":"never-sent"}`)
	m := read(t, c)
	assert.Equal(t, protocol.CodeUnknownMessage, m.Code)
	assert.Equal(t, "never-sent", m.MessageID)

	send(t, c, `{"type":"ping"}`)
	assert.Equal(t, protocol.TypePong, read(t, c).Type, "still open")
}

func TestOversizedFrameClosesWith1009(t *testing.T) {
	e := newEnv(t, hub.Config{MaxMessageSize: 1024}, ws.Options{})
	c := e.dial(t, "user_id=big")
	e.waitConns(t, 1)
	send(t, c, `{"to":"x","content":"`+strings.Repeat("a", 2048)+`"}`)
	assert.Equal(t, websocket.CloseMessageTooBig, readClose(t, c, 5*time.Second))
	e.waitConns(t, 0)
}

func TestRefusedUpgrades(t *testing.T) {
	e := newEnv(t, hub.Config{}, ws.Options{})
	assert.Equal(t, http.StatusForbidden, status(t, e.url("user_id=a"), http.Header{"Origin": {"http://evil.example"}}))
	assert.Equal(t, http.StatusUnauthorized, status(t, e.url("user_type=agent"), nil), "no user_id")

	same := e.dial(t, "user_id=ok") // an Origin equal to the host is fine; so is none
	_ = same
	host := strings.TrimPrefix(e.srv.URL, "http://")
	c, resp, err := websocket.DefaultDialer.Dial(e.url("user_id=ok2"), http.Header{"Origin": {"http://" + host}})
	require.NoError(t, err)
	resp.Body.Close()
	c.Close()

	authed := newEnv(t, hub.Config{}, ws.Options{
		Authenticate: func(r *http.Request) (session.Identity, error) {
			if r.Header.Get("Authorization") != "Bearer good" {
				return session.Identity{}, errors.New("bad token")
			}
			return session.Identity{UserID: "from-token"}, nil
		},
		AllowedOrigins: []string{"*.example.com"},
	})
	assert.Equal(t, http.StatusUnauthorized, status(t, authed.url("user_id=x"), http.Header{"Authorization": {"Bearer bad"}}))
	c, resp, err = websocket.DefaultDialer.Dial(authed.url(""), http.Header{"Authorization": {"Bearer good"}, "Origin": {"https://app.example.com"}})
	require.NoError(t, err)
	resp.Body.Close()
	defer c.Close()
	authed.waitConns(t, 1)
	users, err := authed.hub.OnlineUsers(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, []string{"from-token"}, users)
}

func TestIdleClientIsClosedWhileATalkingOneStays(t *testing.T) {
	// The talker pings every 200 ms, for longer than the timeout: it stays.
	// The idle client is closed after the timeout. The timeout leaves a
	// loaded machine five late pings' worth of slack before the talker would
	// look idle too.
	const timeout, every = time.Second, 200 * time.Millisecond
	e := newEnv(t, hub.Config{HeartbeatInterval: time.Hour, ClientTimeout: timeout}, ws.Options{})
	start := time.Now() // before the idle client dials: it cannot be closed sooner than timeout after this
	idle := e.dial(t, "user_id=idle")
	talker := e.dial(t, "user_id=talker")
	e.waitConns(t, 2)

	stop := make(chan struct{})
	talked := make(chan struct{})
	go func() {
		defer close(talked)
		for i := 0; i < 9; i++ {
			select {
			case <-stop:
				return
			case <-time.After(every):
			}
			if talker.WriteMessage(websocket.TextMessage, []byte(`{"type":"ping"}`)) != nil {
				return
			}
		}
	}()
	assert.Equal(t, protocol.CloseIdleTimeout, readClose(t, idle, 10*time.Second))
	assert.GreaterOrEqual(t, time.Since(start), timeout)
	<-talked
	close(stop)
	for i := 0; i < 9; i++ {
		assert.Equal(t, protocol.TypePong, read(t, talker).Type)
	}
	e.waitConns(t, 1)
	s, err := e.hub.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, int64(1), s.IdleTimeouts)
}

func TestPongsKeepAClientAlive(t *testing.T) {
	// a timeout that leaves room for a loaded machine's late pongs, and
	// pings for well past it
	e := newEnv(t, hub.Config{HeartbeatInterval: 100 * time.Millisecond, ClientTimeout: 1500 * time.Millisecond}, ws.Options{})
	c := e.dial(t, "user_id=quiet")
	e.waitConns(t, 1)
	pings := make(chan struct{}, 100)
	c.SetPingHandler(func(data string) error {
		pings <- struct{}{}
		return c.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	go func() { // the reader runs the ping handler; it ends when the test closes c
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	}()
	for i := 0; i < 35; i++ { // 35 pings = 3.5 s, over twice the timeout, without one inbound frame
		select {
		case <-pings:
		case <-time.After(5 * time.Second):
			t.Fatal("no ping")
		}
	}
	s, err := e.hub.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, 1, s.Connections)
	assert.Zero(t, s.IdleTimeouts)
}

func TestSameConnIDReplacesTheOlderConnection(t *testing.T) {
	e := newEnv(t, hub.Config{}, ws.Options{})
	first := e.dial(t, "user_id=frank&conn_id=laptop")
	e.waitConns(t, 1)
	second := e.dial(t, "user_id=frank&conn_id=laptop")
	assert.Equal(t, protocol.CloseReplaced, readClose(t, first, 5*time.Second))
	e.waitConns(t, 1)
	require.NoError(t, e.hub.SendToUser(ctx(t), "frank", &protocol.Message{Content: "to the new one"}))
	assert.Equal(t, "to the new one", read(t, second).Content)
}

// smallReadBuffer makes a client whose socket holds little, so that a client
// that never reads backs up into the server's queue quickly.
var smallReadBuffer = &websocket.Dialer{NetDial: (&net.Dialer{
	// SO_RCVBUF must be set before connect for the TCP window to stay small.
	Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 2048) })
		return errors.Join(err, serr)
	},
}).Dial}

func TestSlowConsumerIsClosedWhileOthersGetEverythingInOrder(t *testing.T) {
	// WriteWait well past the time the slow client's queue takes to overflow
	// (about 21 of its 48 KiB messages: two rounds of 16 broadcasts), even
	// when a loaded machine makes a round take seconds: a write deadline
	// reached first would end the connection as an error, not as the slow
	// consumer this test is about.
	e := newEnv(t, hub.Config{MessageBufferSize: 64}, ws.Options{WriteWait: 15 * time.Second})
	slow, resp, err := smallReadBuffer.Dial(e.url("user_id=slow"), nil)
	require.NoError(t, err)
	resp.Body.Close()
	defer slow.Close()
	const healthy, messages = 100, 300
	conns := make([]*websocket.Conn, healthy)
	for i := range conns {
		conns[i] = e.dial(t, fmt.Sprintf("user_id=h%d", i))
	}
	e.waitConns(t, healthy+1)

	errs := make(chan error, healthy)
	progress := make([]atomic.Int64, healthy) // messages each healthy client has read
	for i, c := range conns {
		go func() {
			for want := 1; want <= messages; want++ {
				_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
				_, data, err := c.ReadMessage()
				if err != nil {
					errs <- err
					return
				}
				m, err := protocol.Decode(data)
				if err != nil || m.Content != fmt.Sprint(want) {
					errs <- fmt.Errorf("want message %d, got %q (%v)", want, data, err)
					return
				}
				progress[i].Store(int64(want))
			}
			errs <- nil
		}()
	}
	payload := strings.Repeat("x", 2048)
	big := strings.Repeat("y", 48<<10)
	for i := 1; i <= messages; i++ {
		require.NoError(t, e.hub.Broadcast(ctx(t), &protocol.Message{Content: fmt.Sprint(i), Data: map[string]any{"pad": payload}}))
		// the slow client also gets big messages of its own, more than socket buffers hold
		_ = e.hub.SendToUser(ctx(t), "slow", &protocol.Message{Content: big})
		if i%16 == 0 { // a steady sender: healthy readers stay within 32 frames, the slow one never reads
			require.Eventually(t, func() bool {
				for j := range progress {
					if progress[j].Load() < int64(i-16) {
						return false
					}
				}
				return true
			}, 10*time.Second, time.Millisecond)
		}
	}
	for range conns {
		require.NoError(t, <-errs)
	}
	require.Eventually(t, func() bool {
		s, err := e.hub.Stats(context.Background())
		return err == nil && s.SlowConsumerCloses == 1 && s.Connections == healthy
	}, 10*time.Second, 10*time.Millisecond)
	users, err := e.hub.OnlineUsers(ctx(t))
	require.NoError(t, err)
	assert.NotContains(t, users, "slow")
	s, err := e.hub.Stats(ctx(t))
	require.NoError(t, err)
	assert.Positive(t, s.OfflineStored, "the slow client's unwritten messages are kept, not dropped")
}

func TestShutdownWith500ConnectionsIsQuickAndClean(t *testing.T) {
	e := newEnv(t, hub.Config{}, ws.Options{})
	const n = 500
	conns := make([]*websocket.Conn, n)
	for i := range conns {
		conns[i] = e.dial(t, fmt.Sprintf("user_id=u%d", i%50))
	}
	e.waitConns(t, n)
	closed := make(chan int, n)
	for _, c := range conns {
		go func() { closed <- readClose(t, c, 10*time.Second) }()
	}

	// Quick: well under the 10 s WriteWait that one stuck connection would
	// hold the shutdown for, with room for a loaded machine.
	const quick = 5 * time.Second
	ctx2, cancel := context.WithTimeout(context.Background(), quick)
	defer cancel()
	require.NoError(t, e.hub.Shutdown(ctx2), "within %v", quick)
	for range conns {
		assert.Equal(t, protocol.CloseGoingAway, <-closed)
	}
	require.NoError(t, e.hub.Shutdown(ctx2), "idempotent")
	assert.ErrorIs(t, e.hub.SendToUser(ctx(t), "u1", &protocol.Message{Content: "late"}), hub.ErrHubClosed)
	assert.Equal(t, http.StatusServiceUnavailable, status(t, e.url("user_id=late"), nil))
	// goleak in TestMain proves that no reader, writer or actor goroutine is left
}

func TestInboundRateLimitClosesWith3003(t *testing.T) {
	e := newEnv(t, hub.Config{RateLimit: 5, RateBurst: 5}, ws.Options{})
	c := e.dial(t, "user_id=chatty")
	e.waitConns(t, 1)
	go func() {
		for range 50 { // far over 5 frames/s with bursts of 5
			if c.WriteMessage(websocket.TextMessage, []byte(`{"type":"ping"}`)) != nil {
				return
			}
		}
	}()
	assert.Equal(t, protocol.CloseRateLimited, readClose(t, c, 5*time.Second))
	s, err := e.hub.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, int64(1), s.RateLimitedCloses)
}

func TestMaxConnectionsPerUser(t *testing.T) {
	e := newEnv(t, hub.Config{MaxConnectionsPerUser: 1}, ws.Options{})
	first := e.dial(t, "user_id=one&conn_id=a")
	e.waitConns(t, 1)
	second := e.dial(t, "user_id=one&conn_id=b")
	assert.Equal(t, protocol.ClosePolicyViolation, readClose(t, second, 5*time.Second))
	require.NoError(t, e.hub.SendToUser(ctx(t), "one", &protocol.Message{Content: "still here"}))
	assert.Equal(t, "still here", read(t, first).Content)
}

func TestAuthorizeHookRefusesOrRewrites(t *testing.T) {
	e := newEnv(t, hub.Config{Authorize: func(id *session.Identity, m *protocol.Message) error {
		if strings.Contains(m.Content, "forbidden") {
			return errors.New("wsc: not allowed to say that")
		}
		m.Content = strings.ToUpper(m.Content)
		m.From = "someone-else" // a hook may rewrite the message, never its sender
		return nil
	}}, ws.Options{})
	alice, bob := e.dial(t, "user_id=alice"), e.dial(t, "user_id=bob")
	e.waitConns(t, 2)

	send(t, alice, `{"to":"bob","content":"forbidden words","msg_id":"c9"}`)
	refused := read(t, alice)
	assert.Equal(t, protocol.CodeForbidden, refused.Code)
	assert.Equal(t, "c9", refused.MessageID)

	send(t, alice, `{"to":"bob","content":"hello"}`)
	m := read(t, bob)
	assert.Equal(t, "HELLO", m.Content)
	assert.Equal(t, "alice", m.From)
}
