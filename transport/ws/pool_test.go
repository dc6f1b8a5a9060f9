package ws_test

import (
	"fmt"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A broadcast starts no writer goroutine per connection: the connections'
// writes go through a few pooled workers (pool.go). With a goroutine per
// connection and burst, as before, each of these broadcasts (sent one at a
// time, the next once every client has read the last) started one per
// connection; the pool starts a worker per shard and burst, a few more when a
// worker outruns the hub's fan-out and stops.
func TestABroadcastStartsNoWriterGoroutinePerConnection(t *testing.T) {
	const conns, broadcasts = 200, 10
	e := newEnv(t, hub.Config{HeartbeatInterval: time.Hour}, ws.Options{})
	got := make(chan error, conns)
	for i := range conns {
		c := e.dial(t, fmt.Sprintf("user_id=u%d", i))
		go func() { // started before the count
			for range broadcasts {
				_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
				_, _, err := c.ReadMessage()
				got <- err
				if err != nil {
					return
				}
			}
		}()
	}
	e.waitConns(t, conns)

	created := func() uint64 {
		s := []metrics.Sample{{Name: "/sched/goroutines-created:goroutines"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	before := created()
	for i := range broadcasts {
		require.NoError(t, e.hub.Broadcast(ctx(t), &protocol.Message{Content: fmt.Sprint(i)}))
		for range conns {
			require.NoError(t, <-got)
		}
	}
	perBroadcast := float64(created()-before) / broadcasts
	t.Logf("%.1f goroutines started per broadcast to %d connections", perBroadcast, conns)
	assert.Less(t, perBroadcast, float64(conns)/4, "not one per connection")
}
