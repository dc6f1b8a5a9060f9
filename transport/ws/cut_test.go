//go:build linux

package ws_test

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
)

// unread is how many bytes wait in c's socket, not yet read (TIOCINQ).
func unread(t *testing.T, c *websocket.Conn) int {
	raw, err := c.UnderlyingConn().(syscall.Conn).SyscallConn()
	require.NoError(t, err)
	var n int32
	var errno syscall.Errno
	require.NoError(t, raw.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TIOCINQ, uintptr(unsafe.Pointer(&n)))
	}))
	require.Zero(t, errno)
	return int(n)
}

// A slow consumer's writer is stuck in a write to a peer that does not read:
// closing it (3002) cuts that write at once, so the connection, its goroutines
// and its unwritten frames are let go now, not when WriteWait (a minute here)
// ends the write; its unwritten messages reach the offline store then. The
// writer is made to be inside that write: a message far bigger than the
// socket buffers, whose first bytes the client has, then small ones until
// the outbox overflows. (A writer between two writes when the close comes
// starts no new one: conn.go cut.)
func TestASlowConsumerIsCutLooseAtOnce(t *testing.T) {
	e := newEnv(t, hub.Config{MessageBufferSize: 16, MaxQueueBytes: 64 << 20}, ws.Options{WriteWait: time.Minute})
	c, resp, err := smallReadBuffer.Dial(e.url("user_id=stuck"), nil) // never reads
	require.NoError(t, err)
	resp.Body.Close()
	defer c.Close()
	e.waitConns(t, 1)

	require.NoError(t, e.hub.SendToUser(ctx(t), "stuck", &protocol.Message{Content: strings.Repeat("z", 8<<20)}))
	require.Eventually(t, func() bool { return unread(t, c) > 0 }, 10*time.Second, time.Millisecond,
		"the big message's first bytes")
	for sent := 0; ; sent++ { // until the outbox overflows
		require.Less(t, sent, 100, "never a slow consumer")
		require.NoError(t, e.hub.SendToUser(ctx(t), "stuck", &protocol.Message{Content: "small"}))
		s, err := e.hub.Stats(ctx(t))
		require.NoError(t, err)
		if s.SlowConsumerCloses == 1 {
			break
		}
	}
	// the hub takes the outbox's frames back once the transport is done (the
	// writer has returned): they reach the offline store then
	start := time.Now()
	require.Eventually(t, func() bool {
		s, err := e.hub.Stats(context.Background())
		return err == nil && s.OfflineStored > 0
	}, 10*time.Second, time.Millisecond, "the transport is not done within 10 s (WriteWait: a minute)")
	t.Logf("transport done %v after the slow-consumer close", time.Since(start))
}
