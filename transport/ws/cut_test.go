package ws_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/stretchr/testify/require"
)

// A slow consumer's writer is stuck in a write to a peer that does not read:
// closing it (3002) cuts that write at once, so the connection, its goroutines
// and its unwritten frames are let go now, not when WriteWait (a minute here)
// ends the write; its unwritten messages reach the offline store then. The
// writer may also be between two writes when the close comes: it must start
// no new one (conn.go cut), which would set its own deadline and wait
// WriteWait (without that check: 1 run in 100 here waited the minute).
func TestASlowConsumerIsCutLooseAtOnce(t *testing.T) {
	e := newEnv(t, hub.Config{MessageBufferSize: 16}, ws.Options{WriteWait: time.Minute})
	c, resp, err := smallReadBuffer.Dial(e.url("user_id=stuck"), nil) // never reads
	require.NoError(t, err)
	resp.Body.Close()
	defer c.Close()
	e.waitConns(t, 1)

	big := strings.Repeat("z", 48<<10)
	for sent := 0; ; sent++ { // until the outbox overflows: the writer is stuck by then
		require.Less(t, sent, 4000, "never a slow consumer")
		require.NoError(t, e.hub.SendToUser(ctx(t), "stuck", &protocol.Message{Content: big}))
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
