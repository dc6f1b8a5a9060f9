package ws_test

import (
	"fmt"
	"runtime/metrics"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/gorilla/websocket"
)

// BenchmarkRoutedPairs: 50 pairs of clients over loopback, each sender
// keeping at most window messages in flight to its partner (1: every message
// alone, the cost of each hop's wake-up; 16: a busy server). Besides ns/op and
// allocs/op (client and server share the process: compare two builds, not
// this against a server alone) it reports the goroutines started and the
// process CPU per message, counts that hold still on a busy machine better
// than time does.
func BenchmarkRoutedPairs(b *testing.B) {
	for _, window := range []int{1, 16} {
		b.Run(fmt.Sprintf("window=%d", window), func(b *testing.B) { routedPairs(b, window) })
	}
}

func routedPairs(b *testing.B, window int) {
	const pairs = 50
	e := newEnv(b, hub.Config{HeartbeatInterval: time.Hour}, ws.Options{})
	tx, rx := make([]*websocket.Conn, pairs), make([]*websocket.Conn, pairs)
	for i := range pairs {
		tx[i] = e.dial(b, fmt.Sprintf("user_id=tx%d", i))
		rx[i] = e.dial(b, fmt.Sprintf("user_id=rx%d", i))
	}
	e.waitConns(b, 2*pairs)
	per := (b.N + pairs - 1) / pairs
	sample := []metrics.Sample{{Name: "/sched/goroutines-created:goroutines"}}
	metrics.Read(sample)
	created := sample[0].Value.Uint64()
	cpu := func() time.Duration {
		var ru syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	cpu0 := cpu()
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	for i := range pairs {
		credits := make(chan struct{}, window)
		wg.Add(2)
		go func() {
			defer wg.Done()
			frame := []byte(fmt.Sprintf(`{"type":"text","to":"rx%d","content":"say \"hello\" to everyone"}`, i))
			for range per {
				credits <- struct{}{}
				if tx[i].WriteMessage(websocket.TextMessage, frame) != nil {
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			for range per {
				_ = rx[i].SetReadDeadline(time.Now().Add(10 * time.Second))
				if _, _, err := rx[i].ReadMessage(); err != nil {
					b.Error(err)
					return
				}
				<-credits
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	n := float64(per * pairs)
	metrics.Read(sample)
	b.ReportMetric(float64(sample[0].Value.Uint64()-created)/n, "goroutines/msg")
	b.ReportMetric(float64((cpu()-cpu0).Microseconds())/n, "cpu-µs/msg")
}
