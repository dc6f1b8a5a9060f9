package hub_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/require"
)

const benchUsers = 10_000

// benchHub registers benchUsers in-process sessions whose transports count frames.
func benchHub(b *testing.B, records bool) (*hub.Hub, *atomic.Int64) {
	h := newHub(b, hub.Config{HeartbeatInterval: time.Hour, ClientTimeout: time.Hour, DisableMessageRecord: !records})
	var delivered atomic.Int64
	for i := range benchUsers {
		connect(h, session.Identity{UserID: fmt.Sprint("u", i)}, &memTransport{count: &delivered})
	}
	require.Eventually(b, func() bool { s, _ := h.Stats(context.Background()); return s.Connections == benchUsers }, 30*time.Second, 10*time.Millisecond)
	return h, &delivered
}

// BenchmarkSendToUser: the facade, one call waiting for the hub's answer.
func BenchmarkSendToUser(b *testing.B) {
	h, _ := benchHub(b, true)
	ctx := context.Background()
	m := &protocol.Message{Content: "hello"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := h.SendToUser(ctx, fmt.Sprint("u", i%benchUsers), m); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkSendToUserPID: fire-and-forget to the hub's PID from 1, 8 and 64
// senders; the clock stops when every frame has reached its session's transport.
func BenchmarkSendToUserPID(b *testing.B) {
	for _, c := range []struct {
		senders int
		records bool
	}{{1, true}, {8, true}, {64, true}, {8, false}} {
		senders := c.senders
		b.Run(fmt.Sprintf("senders=%d/records=%v", senders, c.records), func(b *testing.B) {
			h, delivered := benchHub(b, c.records)
			users := make([]string, benchUsers)
			for i := range users {
				users[i] = fmt.Sprint("u", i)
			}
			root, pid := h.System().Root, h.PID()
			start := delivered.Load()
			var next atomic.Int64
			b.ReportAllocs()
			b.SetParallelism(max(1, senders/2)) // GOMAXPROCS is 2 here
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := next.Add(1)
					root.Send(pid, &hub.SendToUser{UserID: users[i%benchUsers], Msg: &protocol.Message{Content: "hello"}})
				}
			})
			want := start + int64(b.N)
			for delivered.Load() < want {
				time.Sleep(50 * time.Microsecond) // benchmark only: waiting for the mailboxes to drain
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
