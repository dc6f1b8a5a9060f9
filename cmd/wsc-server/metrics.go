package main

import (
	wscnats "github.com/go-wsc/go-wsc/transport/nats"
	"net/http"

	"github.com/go-wsc/go-wsc/actors/ack"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics is what /metrics exposes, in a registry of its own (not
// prometheus's global one, and not protoactor-go's provider, which starts a
// server of its own and leaks: DESIGN.md). Events the hub reports as they
// happen (ack outcomes) feed metrics here; everything the hub already counts
// is read at scrape time by hubCollector.
type metrics struct {
	reg    *prometheus.Registry
	ackRTT prometheus.Histogram
	// acks holds one counter per ack result, resolved up front so that the
	// observer, on the tracker's mailbox, only does atomic adds.
	acks map[ack.Result]prometheus.Counter
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		ackRTT: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: "wsc", Name: "ack_rtt_seconds",
			Help: "Time from a message's first delivery to the receiver's ack (confirmed or rejected).",
			// 1 ms to 80 s: a LAN ack to the full default resend span (PROTOCOL.md).
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20, 40, 80},
		}),
		acks: map[ack.Result]prometheus.Counter{},
	}
	acks := prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "wsc", Name: "acks_total",
		Help: "Messages that required an ack, by how they ended for one user: acknowledged, rejected, offline, max_retry.",
	}, []string{"result"})
	for _, r := range []ack.Result{hub.Acknowledged, hub.Rejected, hub.Offline, hub.MaxRetry} {
		m.acks[r] = acks.WithLabelValues(string(r))
	}
	m.reg.MustRegister(m.ackRTT, acks,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// watch adds the scrape-time collector of h's stats and records.
func (m *metrics) watch(h *hub.Hub) { m.reg.MustRegister(newHubCollector(h)) }

// watchBus exports the NATS bus's own counters.
func (m *metrics) watchBus(b *wscnats.Bus) {
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "wsc_bus_slow_consumer_events_total",
		Help: "Times NATS found this node a slow subscriber and dropped messages for it (their senders keep them: wsc_bus_total{event=\"forward_lost\"} on those nodes)."},
		func() float64 { return float64(b.SlowConsumerEvents()) }))
}

// observeAck is the hub's AckObserver. It runs on the ack tracker's mailbox,
// so it only touches lock-free metrics.
func (m *metrics) observeAck(o hub.Outcome) {
	if c := m.acks[o.Result]; c != nil {
		c.Inc()
	}
	if o.Delivered() && o.RTT > 0 {
		m.ackRTT.Observe(o.RTT.Seconds())
	}
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// chainObservers calls first, then next when set.
func chainObservers(first, next func(hub.Outcome)) func(hub.Outcome) {
	if next == nil {
		return first
	}
	return func(o hub.Outcome) {
		first(o)
		next(o)
	}
}
