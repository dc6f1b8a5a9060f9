package sse_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/sse"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStreamHeadersAndSessionEvent(t *testing.T) {
	e := newEnv(t, hub.Config{}, sse.Options{})
	a := e.open(t, "user_id=ann", nil)
	b := e.open(t, "user_id=ann&conn_id=second", nil)
	assert.Equal(t, "text/event-stream", a.resp.Header.Get("Content-Type"))
	assert.Equal(t, "no-cache", a.resp.Header.Get("Cache-Control"))
	assert.NotEqual(t, a.session, b.session)
	assert.GreaterOrEqual(t, len(a.session), 22, "at least 128 random bits")
	e.waitConns(t, 0, 2)
	assert.Equal(t, 2, e.sse.Streams())
}

func TestRefusedStreams(t *testing.T) {
	e := newEnv(t, hub.Config{}, sse.Options{})
	assert.Equal(t, http.StatusUnauthorized, e.status(t, "user_type=agent", nil), "no user_id")
	assert.Equal(t, http.StatusForbidden, e.status(t, "user_id=a", http.Header{"Origin": {"http://evil.example"}}))
	host := strings.TrimPrefix(e.srv.URL, "http://")
	e.open(t, "user_id=a", http.Header{"Origin": {"http://" + host}}) // same host: fine
}

func TestHeartbeatComments(t *testing.T) {
	e := newEnv(t, hub.Config{SSEHeartbeat: 50 * time.Millisecond, SSETimeout: time.Minute}, sse.Options{})
	s := e.open(t, "user_id=hb", nil)
	for range 3 {
		assert.Equal(t, "ping", s.next(t).Comment)
	}
	require.NoError(t, e.hub.SendToUser(ctx(t), "hb", &protocol.Message{Content: "between pings"}))
	_, m := s.msg(t)
	assert.Equal(t, "between pings", m.Content)
}

func TestIdleStreamEndsWhileAPostingOneStays(t *testing.T) {
	// The talker POSTs a ping every 200 ms, for longer than the timeout: it
	// stays. The idle stream is closed after the timeout. The timeout leaves
	// a loaded machine five late POSTs' worth of slack before the talker
	// would look idle too.
	const timeout, every = time.Second, 200 * time.Millisecond
	e := newEnv(t, hub.Config{SSEHeartbeat: time.Hour, SSETimeout: timeout}, sse.Options{})
	start := time.Now() // before the idle stream opens: it cannot close sooner than timeout after this
	idle := e.open(t, "user_id=idle", nil)
	talker := e.open(t, "user_id=talker", nil)

	stop := make(chan struct{})
	talked := make(chan error, 1)
	go func() {
		for range 9 {
			select {
			case <-stop:
				talked <- nil
				return
			case <-time.After(every):
			}
			status, body, err := e.tryPost("user_id=talker&session="+talker.session, `{"type":"ping"}`, nil)
			if err != nil || status != http.StatusAccepted {
				talked <- fmt.Errorf("status %d: %s (%v)", status, body, err)
				return
			}
		}
		talked <- nil
	}()
	assert.Equal(t, protocol.CloseIdleTimeout, idle.closed(t, 10*time.Second))
	assert.GreaterOrEqual(t, time.Since(start), timeout)
	for range 9 {
		_, m := talker.msg(t)
		assert.Equal(t, protocol.TypePong, m.Type)
	}
	close(stop)
	require.NoError(t, <-talked)
	e.waitConns(t, 0, 1)
	st, err := e.hub.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, int64(1), st.IdleTimeouts)

	status, _ := e.post(t, "user_id=idle&session="+idle.session, `{"type":"ping"}`, nil)
	assert.Equal(t, http.StatusNotFound, status, "an ended stream's session is forgotten")
}

func TestSameConnIDReplacesTheOlderStream(t *testing.T) {
	e := newEnv(t, hub.Config{}, sse.Options{})
	first := e.open(t, "user_id=tab&conn_id=t1", nil)
	e.waitConns(t, 0, 1)
	second := e.open(t, "user_id=tab&conn_id=t1", nil) // what a reloading page does
	assert.Equal(t, protocol.CloseReplaced, first.closed(t, 5*time.Second))
	e.waitConns(t, 0, 1)
	require.NoError(t, e.hub.SendToUser(ctx(t), "tab", &protocol.Message{Content: "to the new one"}))
	_, m := second.msg(t)
	assert.Equal(t, "to the new one", m.Content)

	n, err := e.hub.DisconnectUser(ctx(t), "tab", 0)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, protocol.ClosePolicyViolation, second.closed(t, 5*time.Second))
}

func TestClientGoingAwayEndsTheStream(t *testing.T) {
	e := newEnv(t, hub.Config{}, sse.Options{})
	s := e.open(t, "user_id=gone", nil)
	e.waitConns(t, 0, 1)
	s.drop()
	e.waitConns(t, 0, 0)
	require.Eventually(t, func() bool { return e.sse.Streams() == 0 }, 5*time.Second, 5*time.Millisecond)
	require.ErrorIs(t, e.hub.SendToUser(ctx(t), "gone", &protocol.Message{Content: "later"}), hub.ErrUserOffline)
}

// smallReadBuffer dials with a tiny receive buffer, so that a client that never
// reads backs up into the server's queue quickly.
var smallReadBuffer = &net.Dialer{
	Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 2048) })
		return errors.Join(err, serr)
	},
}

func TestSlowConsumerLosesItsStreamAndNotItsMessages(t *testing.T) {
	// WriteWait well past the time the stream's queue of 8 takes to overflow,
	// even when a loaded machine makes the hub's round trips slow: a write
	// deadline reached first would end the stream as an error, not as the
	// slow consumer (3002) this test is about. (The stuck write still ends
	// the stream at its deadline, after the 3002.)
	e := newEnv(t, hub.Config{SSEMessageBuffer: 8}, sse.Options{WriteWait: 2 * time.Second})
	c, err := smallReadBuffer.Dial("tcp", strings.TrimPrefix(e.srv.URL, "http://"))
	require.NoError(t, err)
	defer c.Close()
	_, err = fmt.Fprintf(c, "GET /sse?user_id=slow HTTP/1.1\r\nHost: %s\r\n\r\n", e.srv.Listener.Addr())
	require.NoError(t, err)
	healthy := e.open(t, "user_id=healthy", nil)
	e.waitConns(t, 0, 2)

	big := strings.Repeat("y", 48<<10)
	for i := 0; i < 500; i++ { // far more than socket buffers hold; the slow client never reads
		if e.hub.SendToUser(ctx(t), "slow", &protocol.Message{Content: big}) != nil {
			break // offline: the stream is gone
		}
	}
	require.Eventually(t, func() bool {
		s, err := e.hub.Stats(context.Background())
		return err == nil && s.SlowConsumerCloses == 1 && s.SSEConnections == 1
	}, 10*time.Second, 10*time.Millisecond)
	s, err := e.hub.Stats(ctx(t))
	require.NoError(t, err)
	assert.Positive(t, s.OfflineStored, "the slow client's unwritten messages are kept, not dropped")

	require.NoError(t, e.hub.SendToUser(ctx(t), "healthy", &protocol.Message{Content: "unaffected"}))
	_, m := healthy.msg(t)
	assert.Equal(t, "unaffected", m.Content)
}

func TestShutdownEnds200StreamsWithGoingAway(t *testing.T) {
	e := newEnv(t, hub.Config{}, sse.Options{})
	const n = 200
	streams := make([]*stream, n)
	for i := range streams {
		streams[i] = e.open(t, fmt.Sprintf("user_id=u%d", i%20), nil)
	}
	e.waitConns(t, 0, n)
	type closed struct {
		code int
		err  error
	}
	codes := make(chan closed, n)
	for _, s := range streams {
		go func() {
			code, err := s.closeCode(10 * time.Second)
			codes <- closed{code, err}
		}()
	}

	// Quick: well under the 10 s WriteWait that one stuck stream would hold
	// the shutdown for, with room for a loaded machine.
	const quick = 5 * time.Second
	c, cancel := context.WithTimeout(context.Background(), quick)
	defer cancel()
	require.NoError(t, e.hub.Shutdown(c), "within %v", quick)
	for range n {
		c := <-codes
		require.NoError(t, c.err)
		assert.Equal(t, protocol.CloseGoingAway, c.code)
	}
	require.Eventually(t, func() bool { return e.sse.Streams() == 0 }, 5*time.Second, 5*time.Millisecond)
	assert.Equal(t, http.StatusServiceUnavailable, e.status(t, "user_id=late", nil))
	status, _ := e.post(t, "user_id=u1&session="+streams[1].session, `{"type":"ping"}`, nil)
	assert.Equal(t, http.StatusServiceUnavailable, status)
	// goleak in TestMain proves that no stream goroutine is left
}

func TestConnectionIsReusableAfterTheStream(t *testing.T) {
	const wait = 50 * time.Millisecond
	e := newEnv(t, hub.Config{SSEHeartbeat: time.Hour, SSETimeout: 100 * time.Millisecond}, sse.Options{WriteWait: wait})
	s := e.open(t, "user_id=reuse", nil)
	require.Equal(t, protocol.CloseIdleTimeout, s.closed(t, 3*time.Second))
	time.Sleep(3 * wait) // deliberately past any write deadline the stream could have left behind

	reused := false
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { reused = info.Reused }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx(t), trace), http.MethodPost,
		e.url("user_id=reuse&session="+s.session), strings.NewReader(`{"type":"ping"}`))
	require.NoError(t, err)
	resp, err := e.srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.True(t, reused, "the stream's connection serves the next request")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}
