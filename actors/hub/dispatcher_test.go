package hub_test

import (
	"context"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/ack"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The hub's mailbox runs on a goroutine of its own, woken for each message
// that finds it idle, rather than on a new goroutine each time (protoactor's
// default): a send the caller waits for (the mailbox idle before each) starts
// no goroutine in the hub.
func TestTheHubMailboxStartsNoGoroutinePerMessage(t *testing.T) {
	h := newHub(t, hub.Config{DisableMessageRecord: true, HeartbeatInterval: time.Hour, ClientTimeout: time.Hour})
	ctx := context.Background()
	var got atomic.Int64
	connect(h, session.Identity{UserID: "u"}, &memTransport{count: &got})
	require.Eventually(t, func() bool { s, _ := h.Stats(ctx); return s.Connections == 1 }, 5*time.Second, time.Millisecond)

	const n = 200
	before := goroutinesCreated()
	for range n {
		require.NoError(t, h.SendToUser(ctx, "u", &protocol.Message{Content: "hi"}))
	}
	started := goroutinesCreated() - before
	assert.Equal(t, int64(n), got.Load())
	// the store's writer and timers may start a few; one per message would be n
	assert.Less(t, started, uint64(n/4), "goroutines started for %d sends", n)
}

// The ack tracker runs on a goroutine of its own too: messages that need an
// ack, each acked before the next is sent (the tracker idle before its Track
// and before its Ack), start no goroutine in it.
func TestTheAckTrackerStartsNoGoroutinePerMessage(t *testing.T) {
	h := newHub(t, hub.Config{EnableAck: true, DisableMessageRecord: true, HeartbeatInterval: time.Hour, ClientTimeout: time.Hour})
	ctx := context.Background()
	tr := newMem(8)
	connect(h, session.Identity{UserID: "u"}, tr)
	require.Eventually(t, func() bool { s, _ := h.Stats(ctx); return s.Connections == 1 }, 5*time.Second, time.Millisecond)

	const n = 100
	root := h.System().Root
	outcome := make(chan ack.Outcome, 1)
	before := goroutinesCreated()
	for range n {
		root.Send(h.PID(), &hub.SendToUser{UserID: "u", Msg: &protocol.Message{Content: "hi"}, Ack: &hub.AckRequest{Outcome: outcome}})
		f := tr.next(t)
		root.Send(h.PID(), &session.AckIn{PID: tr.pid, UserID: "u", Ack: protocol.NewAck(f.Msg.ID, protocol.AckConfirmed, "")})
		select {
		case o := <-outcome:
			require.Equal(t, ack.Acknowledged, o.Result)
		case <-time.After(5 * time.Second):
			t.Fatal("no outcome")
		}
	}
	started := goroutinesCreated() - before
	// the store's writer and timers may start a few; one per tracker run would be 2n
	assert.Less(t, started, uint64(n/2), "goroutines started for %d acked messages", n)
}

func goroutinesCreated() uint64 {
	s := []metrics.Sample{{Name: "/sched/goroutines-created:goroutines"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
