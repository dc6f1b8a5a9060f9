package client

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFramesSentWhileDownArriveInOrderAfterReconnect(t *testing.T) {
	s := newServer(t, collectHandler)
	c := newTestClient(t, s.url(), fast())
	var rec recorder
	rec.watch(c)
	require.NoError(t, c.ConnectContext(context.Background()))

	s.waitConns(t, 1)
	s.refusing.Store(true)
	s.dropAll()
	rec.waitCount(t, "disconnected", 1)
	rec.waitCount(t, "connect-error", 1)
	require.False(t, c.IsConnected())

	const n = 50
	for i := range n {
		require.NoError(t, c.SendTextMessage(strconv.Itoa(i)))
	}
	require.Never(t, func() bool { return len(s.receivedFrames()) > 0 }, 50*time.Millisecond, tick)

	s.refusing.Store(false)
	for i := range n {
		require.Equal(t, strconv.Itoa(i), s.next(t))
	}
	rec.waitCount(t, "connected", 2)
}

func TestErrBufferFull(t *testing.T) {
	c := newTestClient(t, "ws://127.0.0.1:1/", NewDefaultConfig().WithMessageBufferSize(3))
	for i := range 3 {
		require.NoError(t, c.SendTextMessage(strconv.Itoa(i)))
	}
	require.ErrorIs(t, c.SendTextMessage("one too many"), ErrBufferFull)
	require.ErrorIs(t, c.SendBinaryMessage([]byte{1}), ErrBufferFull)

	c.SetConfig(NewDefaultConfig().WithMessageBufferSize(4))
	require.NoError(t, c.SendTextMessage("room again"), "the bound follows SetConfig at once")
	require.ErrorIs(t, c.SendTextMessage("full again"), ErrBufferFull)

	c.Close()
	require.ErrorIs(t, c.SendTextMessage("closed"), ErrClose)
}

func TestBufferDrainsOnceConnected(t *testing.T) {
	s := newServer(t, collectHandler)
	c := newTestClient(t, s.url(), fast().WithMessageBufferSize(2))
	require.NoError(t, c.SendTextMessage("a"))
	require.NoError(t, c.SendTextMessage("b"))
	require.ErrorIs(t, c.SendTextMessage("c"), ErrBufferFull)
	require.NoError(t, c.ConnectContext(context.Background()))
	assert.Equal(t, "a", s.next(t))
	assert.Equal(t, "b", s.next(t))
	require.Eventually(t, func() bool { return c.SendTextMessage("c") == nil }, waitFor, tick)
	assert.Equal(t, "c", s.next(t))
}

func TestConcurrentSendsFrom50Goroutines(t *testing.T) {
	const senders, each = 50, 40
	s := newServer(t, collectHandler)
	c := newTestClient(t, s.url(), fast().WithMessageBufferSize(senders*each))
	var sent atomic.Int32
	c.OnTextMessageSent(func(string) { sent.Add(1) })
	require.NoError(t, c.ConnectContext(context.Background()))

	var wg sync.WaitGroup
	for g := range senders {
		wg.Go(func() {
			for i := range each {
				if i%2 == 0 {
					assert.NoError(t, c.SendTextMessage(fmt.Sprintf("%d:%d", g, i)))
				} else {
					assert.NoError(t, c.SendBinaryMessage([]byte(fmt.Sprintf("%d:%d", g, i))))
				}
			}
		})
	}
	wg.Wait()

	next := make([]int, senders) // per sender, the index expected next
	for range senders * each {
		var g, i int
		_, err := fmt.Sscanf(s.next(t), "%d:%d", &g, &i)
		require.NoError(t, err)
		require.Equal(t, next[g], i, "sender %d out of order", g)
		next[g]++
	}
	require.Eventually(t, func() bool { return sent.Load() == senders*each/2 }, waitFor, tick)
}

func TestCloseFlushesBufferedFrames(t *testing.T) {
	s := newServer(t, collectHandler)
	c := newTestClient(t, s.url(), fast())
	require.NoError(t, c.ConnectContext(context.Background()))
	for i := range 100 {
		require.NoError(t, c.SendTextMessage(strconv.Itoa(i)))
	}
	require.NoError(t, c.SendTextMessage("bye"))
	c.Close()
	for i := range 100 {
		require.Equal(t, strconv.Itoa(i), s.next(t))
	}
	require.Equal(t, "bye", s.next(t))
}

func TestCloseIsBoundedWhenPeerDoesNotRead(t *testing.T) {
	s := newServer(t, func(s *wsServer, conn *websocket.Conn, _ int) {
		_ = conn.NetConn().(*net.TCPConn).SetReadBuffer(4 << 10)
		<-s.done // never reads
	})
	c := newTestClient(t, s.url(), fast(), WithDialer(smallWriteBuffer())) // WriteWait stays 10 s
	var sent atomic.Int32
	c.OnTextMessageSent(func(string) { sent.Add(1) })
	require.NoError(t, c.ConnectContext(context.Background()))

	const frames = 64
	big := strings.Repeat("x", 64<<10)
	for range frames {
		require.NoError(t, c.SendTextMessage(big))
	}
	loopDone := c.currentLoopDone()
	start := time.Now()
	c.Close()
	elapsed := time.Since(start)
	// Close gives up waiting for the loop after 2·closeTimeout; the loop
	// itself must end within closeTimeout, not after the 10 s WriteWait. The
	// loop having ended when Close returns tells the two apart without a
	// tight bound on a loaded machine's timers.
	assert.Less(t, elapsed, 2*closeTimeout, "Close did not wait out its own fallback")
	assertClosed(t, loopDone, "Close returned before the connection loop ended: the loop is not bounded by closeTimeout")
	assert.Less(t, int(sent.Load()), frames, "the peer really did stop reading")
	assert.True(t, c.Closed())
}

func TestCloseFromCallbacks(t *testing.T) {
	s := newServer(t, echoHandler)
	for _, where := range []string{"received", "sent", "connected"} {
		t.Run(where, func(t *testing.T) {
			c := New(s.url(), WithConfig(fast()))
			closed := make(chan struct{})
			c.OnClose(func(int, string) { close(closed) })
			switch where {
			case "received":
				c.OnTextMessageReceived(func(string) { c.Close() })
			case "sent":
				c.OnTextMessageSent(func(string) { c.Close() })
			case "connected":
				c.OnConnected(func() { c.Close() })
			}
			require.NoError(t, c.SendTextMessage("ping"))
			err := c.ConnectContext(context.Background())
			if where != "connected" {
				require.NoError(t, err)
			}
			recv(t, closed)
			require.Eventually(t, c.Closed, waitFor, tick)
			c.Close() // waits for the goroutines to end
		})
	}
}

func TestFailedWriteIsRetriedFirstOnNextConnection(t *testing.T) {
	const frames = 24
	s := newServer(t, func(s *wsServer, conn *websocket.Conn, n int) {
		if n == 0 {
			// Take one frame, then stop reading: the client's writes back up
			// until one times out mid-frame.
			_, _, _ = conn.ReadMessage()
			<-s.done
			return
		}
		_ = s.collect(conn)
	})
	// WriteWait: time for a frame of 512 KiB through a 4 KiB socket buffer
	// to a reading peer on a loaded machine (200 ms once failed the first
	// frame), and the wait of the write that fails.
	c := newTestClient(t, s.url(), fast().WithWriteWait(time.Second), WithDialer(smallWriteBuffer()))
	var rec recorder
	c.OnTextMessageSent(func(m string) { rec.add("sent:%s", m[:4]) })
	c.OnSentError(func(error) { rec.add("sent-error") })
	c.OnConnected(func() { rec.add("connected") })
	pad := strings.Repeat("x", 512<<10)
	for i := range frames {
		require.NoError(t, c.SendTextMessage(fmt.Sprintf("%04d", i)+pad))
	}
	require.NoError(t, c.ConnectContext(context.Background()))
	rec.waitCount(t, "sent-error", 1)
	rec.waitCount(t, "connected", 2)

	// k frames were written before the failed one; the failed one is first
	// on the new connection, and the rest follow in order.
	log := rec.log()
	k := indexOf(log, "sent-error") - 1
	require.Positive(t, k, "%v", log)
	require.Less(t, k, frames, "the peer really did stop reading")
	for i := k; i < frames; i++ {
		require.Equal(t, fmt.Sprintf("%04d", i), s.next(t)[:4])
	}
}

// smallWriteBuffer is a dialer whose sockets buffer little, so a peer that
// stops reading blocks the writer after a few hundred KiB, not megabytes.
func smallWriteBuffer() *websocket.Dialer {
	d := *websocket.DefaultDialer
	d.NetDialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		nc, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err == nil {
			_ = nc.(*net.TCPConn).SetWriteBuffer(4 << 10)
		}
		return nc, err
	}
	return &d
}
