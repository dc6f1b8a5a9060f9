package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCallbacksInOrder(t *testing.T) {
	s := newServer(t, func(s *wsServer, conn *websocket.Conn, _ int) {
		// Wait for the client's text and binary frames, then script the rest.
		for range 2 {
			if _, _, err := conn.ReadMessage(); err != nil {
				return
			}
		}
		deadline := time.Now().Add(time.Second)
		_ = conn.WriteControl(websocket.PingMessage, []byte("p1"), deadline)
		_ = conn.WriteMessage(websocket.TextMessage, []byte("t1"))
		_ = conn.WriteMessage(websocket.BinaryMessage, []byte{1, 2})
		_ = conn.WriteControl(websocket.PongMessage, []byte("q1"), deadline)
		_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye"), deadline)
		_, _, _ = conn.ReadMessage() // the client's close reply
	})
	c := newTestClient(t, s.url(), fast())
	var rec recorder
	rec.watch(c)
	c.OnConnected(func() {
		rec.add("connected")
		require.NoError(t, c.SendTextMessage("hello"))
		require.NoError(t, c.SendBinaryMessage([]byte{0xff}))
	})

	c.Connect()
	rec.waitCount(t, "disconnected", 1)
	require.Eventually(t, c.Closed, waitFor, tick, "1000 from the server is terminal")

	log := rec.log()
	// The reader's callbacks, in frame order, between connected and disconnected.
	var reader []string
	for _, e := range log {
		if !strings.HasPrefix(e, "sent") {
			reader = append(reader, e)
		}
	}
	assert.Equal(t, []string{"connected", "ping:p1", "text:t1", "bin:0102", "pong:q1", "close:1000:bye", "disconnected"}, reader)
	// The writer's callbacks, in send order, after connected and before the
	// server could answer them.
	assert.Equal(t, "connected", log[0])
	assert.Less(t, indexOf(log, "sent:hello"), indexOf(log, "sent-bin:ff"))
	assert.Less(t, indexOf(log, "sent-bin:ff"), indexOf(log, "disconnected"))
	assert.Equal(t, "disconnected", log[len(log)-1])
	assert.Equal(t, 1, s.dialCount())
}

func indexOf(log []string, e string) int {
	for i, x := range log {
		if x == e {
			return i
		}
	}
	return -1
}

func TestLargeFrameAcceptedByDefault(t *testing.T) {
	big := strings.Repeat("x", 60<<10)
	s := newServer(t, func(s *wsServer, conn *websocket.Conn, _ int) {
		_ = conn.WriteMessage(websocket.TextMessage, []byte(big))
		_ = s.collect(conn)
	})
	c := newTestClient(t, s.url(), nil) // all defaults
	got := make(chan string, 1)
	c.OnTextMessageReceived(func(m string) { got <- m })
	var rec recorder
	c.OnDisconnected(func(error) { rec.add("disconnected") })

	require.NoError(t, c.ConnectContext(context.Background()))
	assert.Equal(t, big, recv(t, got))
	require.NoError(t, c.SendTextMessage("still here"))
	assert.Equal(t, "still here", s.next(t))
	assert.True(t, c.IsConnected())
	assert.Zero(t, rec.count("disconnected"))
}

func TestMaxMessageSizeEnforced(t *testing.T) {
	serverSaw := make(chan int, 4)
	s := newServer(t, func(s *wsServer, conn *websocket.Conn, n int) {
		if n > 0 {
			_ = s.collect(conn)
			return
		}
		_ = conn.WriteMessage(websocket.TextMessage, make([]byte, 2048))
		_, _, err := conn.ReadMessage()
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			serverSaw <- ce.Code
		}
	})
	c := newTestClient(t, s.url(), fast().WithMaxMessageSize(1024))
	var rec recorder
	rec.watch(c)
	c.Connect()
	assert.Equal(t, websocket.CloseMessageTooBig, recv(t, serverSaw))
	rec.waitCount(t, "connected", 2) // a too-big frame is not terminal
	assert.Zero(t, rec.count("text:"))
}

func TestSendBeforeConnectIsFlushedOnConnect(t *testing.T) {
	s := newServer(t, collectHandler)
	c := newTestClient(t, s.url(), fast())
	require.NoError(t, c.SendTextMessage("early"))
	require.NoError(t, c.ConnectContext(context.Background()))
	assert.Equal(t, "early", s.next(t))
}

func TestConnectWhenConnectedOrConnecting(t *testing.T) {
	s := newServer(t, collectHandler)
	c := newTestClient(t, s.url(), fast())
	require.NoError(t, c.ConnectContext(context.Background()))
	require.NoError(t, c.ConnectContext(context.Background()), "already connected")
	assert.Equal(t, 1, s.dialCount())

	hang := newTestClient(t, hangingListener(t), fast())
	first := connectAsync(context.Background(), hang)
	require.Eventually(t, func() bool { return hang.currentState() == stateConnecting }, waitFor, tick)
	require.ErrorIs(t, hang.ConnectContext(context.Background()), ErrConnecting)
	hang.Close()
	require.ErrorIs(t, recv(t, first), ErrClose)
}

func TestBadURLIsNotRetried(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:1/", "::nope", "127.0.0.1:80"} {
		c := New(u)
		var rec recorder
		rec.watch(c)
		err := c.ConnectContext(context.Background())
		require.ErrorIs(t, err, ErrBadURL, u)
		assert.Equal(t, []string{"connect-error"}, rec.log())
		assert.False(t, c.Closed())
		c.Close()
	}
}

func TestDialErrorCarriesStatus(t *testing.T) {
	s := newServer(t, collectHandler)
	s.refusing.Store(true)
	c := newTestClient(t, s.url(), fast().WithAutoReconnect(false))
	err := c.ConnectContext(context.Background())
	var de *DialError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, 503, de.StatusCode)
	assert.ErrorIs(t, err, ErrDial)
	assert.ErrorIs(t, err, websocket.ErrBadHandshake)
	assert.True(t, strings.HasPrefix(err.Error(), "wsc: "), err.Error())
	assert.False(t, c.Closed(), "a failed first connect leaves the client idle")

	s.refusing.Store(false)
	require.NoError(t, c.ConnectContext(context.Background()), "and it may connect later")
}

func TestHeaderAndDialerOptions(t *testing.T) {
	s := newServer(t, collectHandler)
	dialed := make(chan struct{}, 1)
	d := *websocket.DefaultDialer
	d.NetDialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialed <- struct{}{}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	h := http.Header{"Authorization": {"Bearer x"}}
	c := newTestClient(t, s.url(), fast(), WithHeader(h), WithDialer(&d))
	h.Set("Authorization", "changed after New")

	require.NoError(t, c.ConnectContext(context.Background()))
	assert.Equal(t, "Bearer x", s.requestHeader(0).Get("Authorization"))
	recv(t, dialed)
}

func TestCloseTextIsCutToFitTheFrame(t *testing.T) {
	long := strings.Repeat("é", 100) // 200 bytes
	got := truncate(long, maxCloseText)
	assert.LessOrEqual(t, len(got), maxCloseText)
	assert.True(t, utf8.ValidString(got))
	assert.Equal(t, "short", truncate("short", maxCloseText))

	serverSaw := make(chan string, 1)
	s := newServer(t, func(s *wsServer, conn *websocket.Conn, _ int) {
		var ce *websocket.CloseError
		if errors.As(s.collect(conn), &ce) {
			serverSaw <- ce.Text
		}
	})
	c := newTestClient(t, s.url(), fast())
	require.NoError(t, c.ConnectContext(context.Background()))
	c.CloseWithMsg(long)
	assert.Equal(t, got, recv(t, serverSaw))
}
