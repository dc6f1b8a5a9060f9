package load

import (
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/bench/hubs"
)

// BenchmarkP2P runs the p2p workload once per iteration (500 clients × 100
// messages), for profiling a hub's message path:
//
//	go test -run '^$' -bench 'P2P/actor' -benchtime 5x -cpuprofile cpu.out ./load
//	go tool pprof -top -focus 'go-wsc/(actors|transport|protocol)' load.test cpu.out
func BenchmarkP2P(b *testing.B) {
	for _, name := range hubs.Names {
		b.Run(name, func(b *testing.B) {
			var msgs int64
			for b.Loop() {
				h, err := hubs.New(name)
				if err != nil {
					b.Fatal(err)
				}
				res, err := P2P(h, Traffic{Clients: 500, Msgs: 100, Timeout: 30 * time.Second})
				if err != nil {
					b.Fatal(err)
				}
				if res.Lost > 0 {
					b.Fatalf("lost %d", res.Lost)
				}
				msgs += res.Received
			}
			b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
