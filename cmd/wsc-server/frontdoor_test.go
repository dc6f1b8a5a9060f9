package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// frontDoor is the server as run serves it: its http.Server with the limits,
// on a bounded listener on 127.0.0.1 (loopback not exempt, so that the
// per-address bound can be tried).
type frontDoor struct {
	srv  *server
	ln   *limitListener
	http *http.Server
	addr string
}

func startFrontDoor(t *testing.T, cfg serverConfig) *frontDoor {
	t.Helper()
	cfg.DevIdentity = true
	srv, err := newServer(cfg)
	require.NoError(t, err)
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	f := &frontDoor{srv: srv, ln: newLimitListener(raw, cfg.HTTP.MaxOpen, cfg.HTTP.MaxPerAddr, false), http: srv.httpServer(), addr: raw.Addr().String()}
	srv.metrics.watchListener(f.ln)
	done := make(chan error, 1)
	go func() { done <- f.http.Serve(f.ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, srv.shutdown(ctx))
		_ = f.http.Close() // also ends idle and stuck connections
		require.ErrorIs(t, <-done, http.ErrServerClosed)
	})
	return f
}

// rawConn dials the server from local address from (empty: any).
func (f *frontDoor) rawConn(t *testing.T, from string) net.Conn {
	t.Helper()
	d := net.Dialer{Timeout: 5 * time.Second}
	if from != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(from)}
	}
	c, err := d.Dial("tcp", f.addr)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// healthz sends GET /healthz on c and returns the status, or an error when the
// server closed the connection instead.
func healthz(c net.Conn) (int, error) {
	if _, err := fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		return 0, err
	}
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// closedSoon bounds how long the server takes to close a connection held
// past a limit of a few hundred milliseconds, with room for a loaded machine:
// a limit not applied holds it until the 10 s read deadline.
const closedSoon = 5 * time.Second

// closedByServer waits (at most within) for the server to end c and returns
// how long it took.
func closedByServer(t *testing.T, c net.Conn, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	require.NoError(t, c.SetReadDeadline(start.Add(within)))
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	require.False(t, errors.As(err, &ne) && ne.Timeout(), "the server did not close the connection within %s", within)
	return time.Since(start)
}

// TestIdleAndSilentConnectionsAreClosed: a keep-alive connection idle past
// -idle-timeout and a connection that never sends its headers are closed by
// the server (they used to be held forever, until file descriptors ran out).
func TestIdleAndSilentConnectionsAreClosed(t *testing.T) {
	f := startFrontDoor(t, serverConfig{HTTP: httpLimits{IdleTimeout: 300 * time.Millisecond, ReadHeaderTimeout: 300 * time.Millisecond}})

	idle := f.rawConn(t, "")
	code, err := healthz(idle)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, code)
	assert.Less(t, closedByServer(t, idle, 10*time.Second), closedSoon)

	silent := f.rawConn(t, "")
	assert.Less(t, closedByServer(t, silent, 10*time.Second), closedSoon)

	half := f.rawConn(t, "")
	_, err = io.WriteString(half, "GET /healthz HTTP/1.1\r\nHost: x\r\n") // never the blank line
	require.NoError(t, err)
	assert.Less(t, closedByServer(t, half, 10*time.Second), closedSoon)
}

// TestSlowBodyIsCut: a POST whose body trickles in is cut at -read-timeout.
func TestSlowBodyIsCut(t *testing.T) {
	f := startFrontDoor(t, serverConfig{HTTP: httpLimits{ReadTimeout: 300 * time.Millisecond}})
	c := f.rawConn(t, "")
	_, err := io.WriteString(c, "POST /api/send HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"to\":")
	require.NoError(t, err)
	assert.Less(t, closedByServer(t, c, 10*time.Second), closedSoon)
}

// TestStreamsOutliveReadTimeout: the WebSocket and SSE streams are not
// short routes: they keep receiving well past -read-timeout and
// -write-timeout.
func TestStreamsOutliveReadTimeout(t *testing.T) {
	f := startFrontDoor(t, serverConfig{HTTP: httpLimits{ReadTimeout: 200 * time.Millisecond, WriteTimeout: 200 * time.Millisecond}})
	c, resp, err := websocket.DefaultDialer.Dial("ws://"+f.addr+"/ws?user_id=long", nil)
	require.NoError(t, err)
	resp.Body.Close()
	defer c.Close()
	req, err := http.NewRequest("GET", "http://"+f.addr+"/sse?user_id=long", nil)
	require.NoError(t, err)
	sse, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer sse.Body.Close()
	rd := bufio.NewReader(sse.Body)

	waitPast(time.Now().Add(600 * time.Millisecond))
	require.NoError(t, f.srv.hub.SendToUser(context.Background(), "long", &protocol.Message{Content: "still here"}))
	assert.Equal(t, "still here", read(t, c).Content)
	for {
		line, err := rd.ReadString('\n')
		require.NoError(t, err)
		if strings.Contains(line, "still here") {
			break
		}
	}
}

// TestListenerBounds: past -max-conns-per-ip one address's new connections
// are closed at once while another address is still served; past
// -max-open-conns every new one is; a closed connection frees its slot.
func TestListenerBounds(t *testing.T) {
	f := startFrontDoor(t, serverConfig{HTTP: httpLimits{MaxOpen: 4, MaxPerAddr: 2}})
	a1, a2 := f.rawConn(t, "127.0.0.1"), f.rawConn(t, "127.0.0.1")
	for _, c := range []net.Conn{a1, a2} {
		code, err := healthz(c)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, code)
	}
	_, err := healthz(f.rawConn(t, "127.0.0.1"))
	assert.Error(t, err, "a third connection from 127.0.0.1 is closed")

	b1 := f.rawConn(t, "127.0.0.2")
	code, err := healthz(b1)
	require.NoError(t, err, "another address is still served")
	assert.Equal(t, http.StatusOK, code)
	b2 := f.rawConn(t, "127.0.0.2")
	_, err = healthz(b2)
	require.NoError(t, err)
	_, err = healthz(f.rawConn(t, "127.0.0.3"))
	assert.Error(t, err, "four open in all: the fifth is closed")
	assert.EqualValues(t, 2, f.ln.Refused())
	refused, ok := value(gather(t, f.srv), "wsc_http_refused_connections_total", nil)
	assert.True(t, ok)
	assert.EqualValues(t, 2, refused, "at /metrics too")

	a1.Close()
	require.Eventually(t, func() bool { return f.ln.Open() == 3 }, 5*time.Second, 5*time.Millisecond)
	_, err = healthz(f.rawConn(t, "127.0.0.1"))
	assert.NoError(t, err, "the slot was given back")
}

// TestDefaultsHoldAgainstAFlood: with the default limits (as run starts the
// server), a connection that floods frames at a user is closed with 3003
// after its burst, and the receiver, which reads, is not harmed.
func TestDefaultsHoldAgainstAFlood(t *testing.T) {
	cfg, err := parseConfig([]string{"-dev-identity", "-memory"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, 100.0, cfg.Hub.RateLimit)
	assert.Equal(t, 200, cfg.Hub.RateBurst)
	assert.Equal(t, 32, cfg.Hub.MaxConnectionsPerUser)
	assert.Equal(t, 1024, cfg.HTTP.MaxPerAddr)
	assert.Equal(t, time.Minute, cfg.HTTP.IdleTimeout)
	s, ts := startServerWith(t, cfg)
	rcv := dial(t, s, ts, "user_id=victim")
	snd := dial(t, s, ts, "user_id=flooder")

	frame := []byte(`{"to":"victim","content":"x"}`)
	var werr error
	start := time.Now()
	for i := 0; i < 2000 && werr == nil; i++ {
		werr = snd.WriteMessage(websocket.TextMessage, frame)
	}
	require.NoError(t, snd.SetReadDeadline(time.Now().Add(5*time.Second)))
	for {
		_, _, err := snd.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, protocol.CloseRateLimited, ce.Code)
			break
		}
	}
	// what the rate let through while the flood lasted: 100/s of its duration
	refill := int(time.Since(start).Seconds()*100) + 1
	got := 0
	require.NoError(t, rcv.WriteMessage(websocket.TextMessage, []byte(`{"type":"ping"}`)))
	for {
		m := read(t, rcv)
		if m.Type == protocol.TypePong {
			break
		}
		got++
	}
	assert.LessOrEqual(t, got, 200+refill, "at most the burst and what the rate let through meanwhile arrived")
	assert.Positive(t, got)
}

// TestHandshakeIDsAreBounded: ids of a handshake follow the API's 256-byte
// limit (they used to be taken up to about 1 MiB): user_id, conn_id and
// ticket_id are refused with 401, last_event_id with 400, on both transports.
func TestHandshakeIDsAreBounded(t *testing.T) {
	_, ts := startServer(t)
	long := strings.Repeat("x", 257)
	for query, want := range map[string]int{
		"user_id=" + long:                    http.StatusUnauthorized,
		"user_id=u&conn_id=" + long:          http.StatusUnauthorized,
		"user_id=u&ticket_id=a," + long:      http.StatusUnauthorized,
		"user_id=u&last_event_id=" + long:    http.StatusBadRequest,
		"user_id=u&ticket_id=" + manyTickets: http.StatusUnauthorized,
	} {
		_, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/ws?"+query, nil)
		require.Error(t, err)
		require.NotNil(t, resp)
		resp.Body.Close()
		assert.Equal(t, want, resp.StatusCode, "ws "+query[:20])
		sse, err := http.Get(ts.URL + "/sse?" + query)
		require.NoError(t, err)
		sse.Body.Close()
		assert.Equal(t, want, sse.StatusCode, "sse "+query[:20])
	}
	c, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/ws?user_id="+long[:256], nil)
	require.NoError(t, err, "256 bytes is still fine")
	resp.Body.Close()
	c.Close()
}

// manyTickets is one ticket more than a handshake may join.
var manyTickets = strings.TrimSuffix(strings.Repeat("t,", 101), ",")

// TestDefaultsHoldAgainstAnSSEFlood: over SSE, POSTed arrays of frames count
// against the same default rate limit: the flooding stream is closed (3003)
// after its burst, and a WebSocket receiver that reads stays open.
func TestDefaultsHoldAgainstAnSSEFlood(t *testing.T) {
	cfg, err := parseConfig([]string{"-dev-identity", "-memory"}, io.Discard)
	require.NoError(t, err)
	s, ts := startServerWith(t, cfg)
	rcv := dial(t, s, ts, "user_id=victim")
	st := openSSE(t, ts, "user_id=flooder", nil)
	first := st.next(t)
	sid := strings.TrimSuffix(strings.TrimPrefix(first.data, `{"session":"`), `"}`)

	batch := "[" + strings.TrimSuffix(strings.Repeat(`{"to":"victim","content":"x"},`, 200), ",") + "]"
	start := time.Now()
	for range 3 {
		resp, err := http.Post(ts.URL+"/sse?user_id=flooder&session="+sid, "application/json", strings.NewReader(batch))
		require.NoError(t, err)
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			break // the stream is gone: its session no longer takes frames
		}
	}
	ev := st.next(t)
	for ev.event != "close" {
		ev = st.next(t)
	}
	closing, err := protocol.Decode([]byte(ev.data))
	require.NoError(t, err)
	assert.Equal(t, protocol.CloseRateLimited, closing.Code)
	refill := int(time.Since(start).Seconds()*100) + 1 // what the rate let through while the flood lasted
	got := 0
	require.NoError(t, rcv.WriteMessage(websocket.TextMessage, []byte(`{"type":"ping"}`)))
	for m := read(t, rcv); m.Type != protocol.TypePong; m = read(t, rcv) {
		got++
	}
	assert.LessOrEqual(t, got, 200+refill, "at most the burst (and the refill) reached the receiver, which is still open")
}

// TestDefaultCapsPerUserAndHeader: with the defaults, a user's 33rd
// connection is refused (1008) and headers over 64 KiB get 431.
func TestDefaultCapsPerUserAndHeader(t *testing.T) {
	cfg, err := parseConfig([]string{"-dev-identity", "-memory"}, io.Discard)
	require.NoError(t, err)
	f := startFrontDoor(t, cfg)
	url := "ws://" + f.addr + "/ws?user_id=many"
	for i := range 32 {
		c, resp, err := websocket.DefaultDialer.Dial(url, nil)
		require.NoError(t, err, "connection %d", i+1)
		resp.Body.Close()
		defer c.Close()
	}
	require.Eventually(t, func() bool {
		st, err := f.srv.hub.Stats(context.Background())
		return err == nil && st.Connections == 32
	}, 5*time.Second, 5*time.Millisecond)
	c, resp, err := websocket.DefaultDialer.Dial(url, nil)
	require.NoError(t, err)
	resp.Body.Close()
	defer c.Close()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, _, err = c.ReadMessage()
	var ce *websocket.CloseError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, protocol.ClosePolicyViolation, ce.Code)

	req, err := http.NewRequest("GET", "http://"+f.addr+"/healthz", nil)
	require.NoError(t, err)
	req.Header.Set("X-Big", strings.Repeat("h", 70<<10))
	big, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	big.Body.Close()
	assert.Equal(t, http.StatusRequestHeaderFieldsTooLarge, big.StatusCode)
}
