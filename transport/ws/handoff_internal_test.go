package ws

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// smallSocket sets a socket's buffer for direction opt (SO_SNDBUF, SO_RCVBUF)
// small, so that a big frame fills it.
func smallSocket(rc syscall.RawConn, opt int) error {
	var serr error
	err := rc.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, opt, 4096) })
	return errors.Join(err, serr)
}

// pooledPair is a transport on a real loopback connection whose client reads
// nothing until the test does, with small socket buffers at both ends: a big
// frame fills them, and the pool's write that does not wait writes part of
// it. No reader runs: the test reads the client side itself.
func pooledPair(t *testing.T) (*transport, *websocket.Conn) {
	conns := make(chan *websocket.Conn, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil); err == nil {
			conns <- c
		}
	}))
	t.Cleanup(srv.Close)
	dialer := &websocket.Dialer{NetDial: (&net.Dialer{
		// before connect, for the TCP window to stay small
		Control: func(_, _ string, rc syscall.RawConn) error { return smallSocket(rc, syscall.SO_RCVBUF) },
	}).Dial}
	client, resp, err := dialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	require.NoError(t, err)
	resp.Body.Close()
	t.Cleanup(func() { client.Close() })
	c := <-conns
	t.Cleanup(func() { c.Close() })
	rc, err := c.NetConn().(syscall.Conn).SyscallConn()
	require.NoError(t, err)
	require.NoError(t, smallSocket(rc, syscall.SO_SNDBUF))
	return newTransport(&Server{opts: Options{}.withDefaults()}, c, session.NewOutbox(16, 16<<20), 1<<20), client
}

// handedOff waits until the pool's worker has handed tr to a goroutine of its
// own: tr's writer still runs, and the shard's worker, which stops only once
// it has nothing queued, has stopped.
func handedOff(t *testing.T, tr *transport) {
	t.Helper()
	require.Eventually(t, func() bool {
		return tr.writer.Load() == writerRunning && !tr.shard.running.Load()
	}, 10*time.Second, time.Millisecond, "the write was not handed off")
}

func bigFrame(id string, fill byte) *session.Frame {
	return &session.Frame{Msg: &protocol.Message{ID: id}, Data: bytes.Repeat([]byte{fill}, 256<<10)}
}

// A frame the pool's worker could write only part of without waiting (the
// peer reads slowly) is finished by a goroutine of the connection's own,
// before anything queued after it: the peer gets every frame whole and in
// order. Once that goroutine has written everything, the connection is the
// pool's again.
func TestAWriteThatWouldWaitGoesOnInAGoroutineOfItsOwn(t *testing.T) {
	tr, client := pooledPair(t)
	frames := []*session.Frame{bigFrame("a", 'a'), bigFrame("b", 'b'), bigFrame("c", 'c')}
	for _, f := range frames {
		require.True(t, tr.Send(f))
	}
	handedOff(t, tr)
	for _, f := range frames {
		require.NoError(t, client.SetReadDeadline(time.Now().Add(10*time.Second)))
		_, got, err := client.ReadMessage()
		require.NoError(t, err)
		require.True(t, bytes.Equal(f.Data, got), "frame %s whole and in its place", f.Msg.ID)
	}
	require.Eventually(t, func() bool { return tr.writer.Load() == writerIdle }, 10*time.Second, time.Millisecond)

	require.True(t, tr.Send(&session.Frame{Msg: &protocol.Message{ID: "d"}, Data: []byte(`{"id":"d"}`)}))
	require.NoError(t, client.SetReadDeadline(time.Now().Add(10*time.Second)))
	_, got, err := client.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, `{"id":"d"}`, string(got))
	assert.Equal(t, 0, tr.outbox.Len())
}

// When the peer goes while the goroutine finishes what the pool's worker
// began, the batch it was writing is back in the outbox, first, with what was
// queued behind it: the hub drains them once the transport is done (the
// ownership rule of actors/hub/doc.go).
func TestAWriteHandedOffThatFailsPutsItsBatchBack(t *testing.T) {
	tr, client := pooledPair(t)
	for _, f := range []*session.Frame{bigFrame("a", 'a'), bigFrame("b", 'b'), bigFrame("c", 'c')} {
		require.True(t, tr.Send(f))
	}
	handedOff(t, tr)
	// a reset, not a close: the server's write fails at once
	require.NoError(t, client.NetConn().(*net.TCPConn).SetLinger(0))
	require.NoError(t, client.Close())
	select {
	case <-tr.writerDone:
	case <-time.After(10 * time.Second):
		t.Fatal("the writer did not stop")
	}
	var ids []string
	for _, f := range tr.Drain() {
		ids = append(ids, f.Msg.ID)
	}
	assert.Equal(t, []string{"a", "b", "c"}, ids)
}

// A write deadline that writeLoop set (it writes with one) and that passed
// after it went idle fails the pool's next write before anything is written:
// writeLoop takes the frame and writes it with a deadline of its own, rather
// than the connection failing.
func TestAPassedWriteDeadlineIsNoFailure(t *testing.T) {
	tr, client := pooledPair(t)
	past := time.Now().Add(-time.Second)
	require.NoError(t, tr.nc.SetWriteDeadline(past))
	tr.deadline = past
	require.True(t, tr.Send(&session.Frame{Msg: &protocol.Message{ID: "a"}, Data: []byte(`{"id":"a"}`)}))
	require.NoError(t, client.SetReadDeadline(time.Now().Add(10*time.Second)))
	_, got, err := client.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, `{"id":"a"}`, string(got))
	require.Eventually(t, func() bool { return tr.writer.Load() == writerIdle }, 10*time.Second, time.Millisecond)
	assert.True(t, tr.deadline.After(time.Now()), "writeLoop armed a deadline of its own")
}
