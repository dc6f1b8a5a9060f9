package hub_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/require"
)

const benchUsers = 10_000

// benchHub registers benchUsers in-process sessions whose transports count
// frames, each through its own shard.
func benchHub(b *testing.B, records bool, shards int) (*hub.Hub, *atomic.Int64) {
	h := newHub(b, hub.Config{HeartbeatInterval: time.Hour, ClientTimeout: time.Hour, DisableMessageRecord: !records, Shards: shards})
	var delivered atomic.Int64
	for i := range benchUsers {
		connectTo(h, session.Identity{UserID: fmt.Sprint("u", i)}, &memTransport{count: &delivered})
	}
	require.Eventually(b, func() bool { s, _ := h.Stats(context.Background()); return s.Connections == benchUsers }, 30*time.Second, 10*time.Millisecond)
	return h, &delivered
}

// BenchmarkSendToUser: the facade, one call waiting for the hub's answer.
func BenchmarkSendToUser(b *testing.B) {
	h, _ := benchHub(b, true, 0)
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

// BenchmarkSendToUserPID: fire-and-forget to the user's shard (PIDFor) from
// 1, 8 and 64 senders, with one shard and with two; the clock stops when
// every frame has reached its session's transport.
func BenchmarkSendToUserPID(b *testing.B) {
	for _, c := range []struct {
		senders int
		records bool
		shards  int
	}{{1, true, 1}, {8, true, 1}, {64, true, 1}, {8, false, 1}, {8, true, 2}, {64, true, 2}, {8, false, 2}} {
		senders := c.senders
		b.Run(fmt.Sprintf("senders=%d/records=%v/shards=%d", senders, c.records, c.shards), func(b *testing.B) {
			h, delivered := benchHub(b, c.records, c.shards)
			users := make([]string, benchUsers)
			pids := make([]*actor.PID, benchUsers)
			for i := range users {
				users[i] = fmt.Sprint("u", i)
				pids[i] = h.PIDFor(users[i])
			}
			root := h.System().Root
			start := delivered.Load()
			var next atomic.Int64
			cpu0 := processCPU()
			b.ReportAllocs()
			b.SetParallelism(max(1, senders/2)) // GOMAXPROCS is 2 here
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := next.Add(1) % benchUsers
					root.Send(pids[i], &hub.SendToUser{UserID: users[i], Msg: &protocol.Message{Content: "hello"}})
				}
			})
			want := start + int64(b.N)
			for delivered.Load() < want {
				time.Sleep(50 * time.Microsecond) // benchmark only: waiting for the mailboxes to drain
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
			// the process's CPU per message (senders, hub, recorder, store, GC)
			b.ReportMetric(float64((processCPU()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/msg")
		})
	}
}

// BenchmarkBroadcast: one broadcast to benchUsers connections through the
// facade (it answers once the hub has queued the frame on every connection),
// reported per receiver: the hub's fan-out cost, with one shard and with two
// (each walking its own connections). Each connection is a
// writerTransport, whose Send costs what transport/ws's does (a lazy outbox,
// a writer goroutine started for the burst), without the socket.
func BenchmarkBroadcast(b *testing.B) {
	for _, shards := range []int{1, 2} {
		b.Run(fmt.Sprintf("shards=%d", shards), func(b *testing.B) { benchBroadcast(b, shards) })
	}
}

func benchBroadcast(b *testing.B, shards int) {
	h := newHub(b, hub.Config{HeartbeatInterval: time.Hour, ClientTimeout: time.Hour, Shards: shards})
	var delivered atomic.Int64
	for i := range benchUsers {
		connectTo(h, session.Identity{UserID: fmt.Sprint("u", i)}, &memTransport{out: session.NewLazyOutbox(256, 1<<20), count: &delivered, writer: new(atomic.Int32)})
	}
	require.Eventually(b, func() bool { s, _ := h.Stats(context.Background()); return s.Connections == benchUsers }, 30*time.Second, 10*time.Millisecond)
	ctx := context.Background()
	start := delivered.Load()
	cpu0 := processCPU()
	b.ReportAllocs()
	for b.Loop() {
		if err := h.Broadcast(ctx, &protocol.Message{Content: "hello"}); err != nil {
			b.Fatal(err)
		}
	}
	want := start + int64(b.N)*benchUsers
	for delivered.Load() < want {
		time.Sleep(50 * time.Microsecond) // benchmark only: waiting for the writers to drain
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchUsers), "ns/receiver")
	// the process's CPU (hub, writers, GC) per receiver: what holds still on a busy machine
	b.ReportMetric(float64((processCPU()-cpu0).Nanoseconds())/float64(b.N*benchUsers), "cpu-ns/receiver")
}

// processCPU is the CPU time this process has used so far, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
