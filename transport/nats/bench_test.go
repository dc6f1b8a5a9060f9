package nats_test

import (
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
)

// BenchmarkP2P: a client sends b.N messages through the hub to another client,
// on the same node and across two nodes (over the embedded NATS server), all
// over loopback sockets, as fast as it can: messages per second, and the
// latencies of a saturated pipeline (queueing included).
func BenchmarkP2P(b *testing.B) {
	for _, cross := range []bool{false, true} {
		name := map[bool]string{false: "same-node", true: "cross-node"}[cross]
		b.Run(name, func(b *testing.B) {
			sender, receiver := benchPair(b, cross)

			latencies := make([]time.Duration, 0, b.N)
			done := make(chan error, 1)
			go func() {
				for range b.N {
					_, data, err := receiver.ReadMessage()
					if err != nil {
						done <- err
						return
					}
					m, err := protocol.Decode(data)
					if err != nil {
						done <- err
						return
					}
					sent, _ := strconv.ParseInt(m.Content, 10, 64)
					latencies = append(latencies, time.Duration(time.Now().UnixNano()-sent))
				}
				done <- nil
			}()
			b.ResetTimer()
			for range b.N {
				frame := fmt.Sprintf(`{"to":"receiver","content":"%d"}`, time.Now().UnixNano())
				if err := sender.WriteMessage(websocket.TextMessage, []byte(frame)); err != nil {
					b.Fatal(err)
				}
			}
			if err := <-done; err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			slices.Sort(latencies)
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
			b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds()), "p99-µs")
		})
	}
}

// benchPair connects a sender to the first of two nodes and a receiver to the
// same node or, cross, to the other one, and waits until both nodes see both.
func benchPair(b *testing.B, cross bool) (sender, receiver *websocket.Conn) {
	nodes := newBenchCluster(b)
	recvNode := nodes[0]
	if cross {
		recvNode = nodes[1]
	}
	sender = nodes[0].dialB(b, "user_id=sender")
	receiver = recvNode.dialB(b, "user_id=receiver")
	waitSeenB(b, nodes, "sender", "receiver")
	return sender, receiver
}

func newBenchCluster(b *testing.B) []*node {
	b.Helper()
	ns, err := runEmbedded()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	cfg := hub.Config{MessageBufferSize: 1 << 14, MaxQueueBytes: 64 << 20, DisableMessageRecord: true}
	return []*node{startNodeB(b, ns.ClientURL(), "b1", cfg), startNodeB(b, ns.ClientURL(), "b2", cfg)}
}

// BenchmarkP2PLatency: one message in flight at a time, so the latency is the
// path's own: client → hub (→ NATS → hub) → client.
func BenchmarkP2PLatency(b *testing.B) {
	for _, cross := range []bool{false, true} {
		name := map[bool]string{false: "same-node", true: "cross-node"}[cross]
		b.Run(name, func(b *testing.B) {
			sender, receiver := benchPair(b, cross)
			latencies := make([]time.Duration, 0, b.N)
			frame := []byte(`{"to":"receiver","content":"x"}`)
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				if err := sender.WriteMessage(websocket.TextMessage, frame); err != nil {
					b.Fatal(err)
				}
				if _, _, err := receiver.ReadMessage(); err != nil {
					b.Fatal(err)
				}
				latencies = append(latencies, time.Since(start))
			}
			b.StopTimer()
			slices.Sort(latencies)
			b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds()), "p99-µs")
		})
	}
}
