package hub_test

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/require"
)

// BenchmarkHeldHeap: what the hub's long-lived heap costs the garbage
// collector once every user's recent ring is full (1,000 users, 64 messages
// each, records off so that only the rings hold messages): the heap it must
// scan (runtime/metrics /gc/scan/heap:bytes) and the live heap, per message
// held. Each cycle's marking is proportional to the scannable heap, and a
// message routed during a cycle waits on it: the paced workload's tail.
func BenchmarkHeldHeap(b *testing.B) {
	const users, perUser = 1000, 64
	h := newHub(b, hub.Config{HeartbeatInterval: time.Hour, ClientTimeout: time.Hour, DisableMessageRecord: true, RecentPerUser: perUser})
	var delivered atomic.Int64
	ids := make([]string, users)
	for i := range ids {
		ids[i] = fmt.Sprint("u", i)
		connectTo(h, session.Identity{UserID: ids[i]}, &memTransport{count: &delivered})
	}
	require.Eventually(b, func() bool { s, _ := h.Stats(context.Background()); return s.Connections == users }, 30*time.Second, 10*time.Millisecond)
	root := h.System().Root
	content := `a line of chat with "quotes" and a newline` + "\n"
	for b.Loop() {
		want := delivered.Load() + users*perUser
		for range perUser {
			for _, id := range ids {
				root.Send(h.PIDFor(id), &hub.SendToUser{UserID: id, Msg: &protocol.Message{Content: content}})
			}
		}
		for delivered.Load() < want {
			time.Sleep(time.Millisecond) // benchmark only: waiting for the mailboxes to drain
		}
	}
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/scan/heap:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	held := float64(users * perUser)
	b.ReportMetric(float64(s[0].Value.Uint64())/held, "scan-B/held-msg")
	b.ReportMetric(float64(s[1].Value.Uint64())/held, "live-B/held-msg")
}
