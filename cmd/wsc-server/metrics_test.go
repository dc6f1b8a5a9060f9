package main

import (
	"context"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gather returns the registry's metrics by name.
func gather(t *testing.T, s *server) map[string]*dto.MetricFamily {
	t.Helper()
	fams, err := s.metrics.reg.Gather()
	require.NoError(t, err)
	out := map[string]*dto.MetricFamily{}
	for _, f := range fams {
		out[f.GetName()] = f
	}
	return out
}

// value is the value of the metric of family name whose labels include want.
func value(fams map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if have[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

func TestMetrics(t *testing.T) {
	s, ts := startServerWith(t, serverConfig{DevIdentity: true, Hub: hub.Config{EnableAck: true}})
	bob := dial(t, s, ts, "user_id=bob")
	call(t, "POST", ts.URL+"/api/send", `{"to":"bob","content":"ack me"}`)
	sendAck(t, bob, read(t, bob).ID, protocol.AckConfirmed)
	call(t, "POST", ts.URL+"/api/send", `{"to":"nobody","content":"kept"}`)

	// The ack's outcome reaches the observer on the tracker's mailbox, and
	// the records follow it on the recorder's: wait for both.
	var fams map[string]*dto.MetricFamily
	require.Eventually(t, func() bool {
		fams = gather(t, s)
		rtt, _ := value(fams, "wsc_ack_rtt_seconds", nil)
		ok, _ := value(fams, "wsc_records", map[string]string{"status": "success"})
		return rtt == 1 && ok == 1
	}, 5*time.Second, 5*time.Millisecond)

	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"wsc_up", nil, 1},
		{"wsc_connections", map[string]string{"transport": "ws"}, 1},
		{"wsc_connections", map[string]string{"transport": "sse"}, 0},
		{"wsc_users", nil, 1},
		{"wsc_messages_total", map[string]string{"outcome": "accepted"}, 2},
		{"wsc_messages_total", map[string]string{"outcome": "delivered"}, 1},
		{"wsc_messages_total", map[string]string{"outcome": "offline"}, 1},
		{"wsc_acks_total", map[string]string{"result": "acknowledged"}, 1},
		// A message that needs an ack, for a user on no node, ends offline at once.
		{"wsc_acks_total", map[string]string{"result": "offline"}, 1},
		{"wsc_offline_stored", nil, 1},
		{"wsc_records", map[string]string{"status": "user_offline"}, 1},
		{"wsc_resends_total", nil, 0},
		{"wsc_connection_closes_total", map[string]string{"reason": "slow_consumer"}, 0},
		{"wsc_node_info", map[string]string{"node_id": s.hub.NodeID()}, 1},
		{"wsc_bus_total", map[string]string{"event": "forward_lost"}, 0}, // one node: nothing forwarded
		{"wsc_bus_total", map[string]string{"event": "publish_error"}, 0},
	} {
		got, ok := value(fams, c.name, c.labels)
		if assert.True(t, ok, "%s%v missing", c.name, c.labels) {
			assert.Equal(t, c.want, got, "%s%v", c.name, c.labels)
		}
	}
	up, _ := value(fams, "wsc_uptime_seconds", nil)
	assert.Positive(t, up)
	assert.Contains(t, fams, "go_goroutines", "the Go runtime's collector")
	assert.NotContains(t, fams, "protoactor_actor_messages", "not protoactor's provider")

	// Over HTTP, in the text format.
	body := get(t, ts.URL+"/metrics")
	assert.Contains(t, string(body), `wsc_connections{transport="ws"} 1`)
}

// TestMetricsAfterShutdown: a scrape of a stopped hub answers at once with
// wsc_up 0 instead of waiting.
func TestMetricsAfterShutdown(t *testing.T) {
	s, err := newServer(serverConfig{DevIdentity: true})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, s.shutdown(ctx))
	start := time.Now()
	fams := gather(t, s)
	assert.Less(t, time.Since(start), scrapeTimeout)
	up, ok := value(fams, "wsc_up", nil)
	assert.True(t, ok)
	assert.Zero(t, up)
	_, ok = value(fams, "wsc_connections", nil)
	assert.False(t, ok, "nothing is known of a stopped hub")
}
