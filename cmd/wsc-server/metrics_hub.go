package main

import (
	"context"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/prometheus/client_golang/prometheus"
)

// scrapeTimeout bounds each question a scrape asks the hub and the recorder:
// a busy hub makes a scrape report wsc_up 0, never hang.
const scrapeTimeout = time.Second

// hubCollector reads hub.Stats and the records' stats at scrape time: the hub
// counts with atomics and its maps answer one query, so there is nothing to
// keep in step between scrapes.
type hubCollector struct {
	hub *hub.Hub

	up, uptime, info, connections, users, tickets, offlineStored *prometheus.Desc
	messages, inbound, invalid, broadcasts, resends, closes      *prometheus.Desc
	offlineDropped, offlineHandlerErrors                         *prometheus.Desc
	bus                                                          *prometheus.Desc
	records, recordsCreated, recordAttempts                      *prometheus.Desc
}

func newHubCollector(h *hub.Hub) *hubCollector {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc("wsc_"+name, help, labels, nil)
	}
	return &hubCollector{
		hub:           h,
		up:            d("up", "1 when the hub answered this scrape's questions in time, else 0."),
		uptime:        d("uptime_seconds", "Time since the hub started."),
		info:          d("node_info", "The hub's node id, as a label; always 1.", "node_id"),
		connections:   d("connections", "Open connections by transport.", "transport"),
		users:         d("users", "Users with at least one connection."),
		tickets:       d("tickets", "Ticket groups with at least one member."),
		offlineStored: d("offline_stored", "Messages in the offline store."),
		messages: d("messages_total", "Messages by outcome: accepted by the hub, delivered to at least one connection, "+
			"handed to the offline path, refused.", "outcome"),
		inbound:              d("inbound_frames_total", "Frames received from clients."),
		invalid:              d("invalid_frames_total", "Inbound frames answered with an error frame."),
		broadcasts:           d("broadcasts_total", "Broadcast messages."),
		resends:              d("resends_total", "Copies resent for want of an ack."),
		closes:               d("connection_closes_total", "Connections the hub closed, by reason.", "reason"),
		offlineDropped:       d("offline_dropped_total", "Messages the bounded offline store evicted."),
		offlineHandlerErrors: d("offline_handler_errors_total", "Errors and panics of the offline handler."),
		records:              d("records", "Message records held, by status.", "status"),
		recordsCreated:       d("records_created_total", "Message records ever created."),
		recordAttempts:       d("record_retry_attempts_total", "Retry attempts ever recorded."),
		bus: d("bus_total", "Cross-node events: messages that only reached other nodes (forwarded), forwarded copies "+
			"no delivery report came for, kept on this node's offline path (forward_lost), publish and subscribe "+
			"errors of the bus.", "event"),
	}
}

func (c *hubCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.up, c.uptime, c.info, c.connections, c.users, c.tickets, c.offlineStored,
		c.messages, c.inbound, c.invalid, c.broadcasts, c.resends, c.closes, c.offlineDropped, c.offlineHandlerErrors,
		c.records, c.recordsCreated, c.recordAttempts, c.bus} {
		ch <- d
	}
}

func (c *hubCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	s, err := c.hub.Stats(ctx)
	var rs *recorder.Stats
	if err == nil && c.hub.Records().Enabled() {
		got, rerr := c.hub.Records().Stats(ctx)
		rs, err = &got, rerr
	}
	up := 1.0
	if err != nil {
		up = 0
	}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v int64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	gauge(c.up, up)
	if s.NodeID == "" { // the hub did not answer: nothing below is known
		return
	}
	gauge(c.uptime, s.Uptime.Seconds())
	gauge(c.info, 1, s.NodeID)
	gauge(c.connections, float64(s.WSConnections), "ws")
	gauge(c.connections, float64(s.SSEConnections), "sse")
	gauge(c.users, float64(s.Users))
	gauge(c.tickets, float64(s.Tickets))
	gauge(c.offlineStored, float64(s.OfflineStored))
	counter(c.messages, s.MessagesAccepted, "accepted")
	counter(c.messages, s.MessagesDelivered, "delivered")
	counter(c.messages, s.MessagesOffline, "offline")
	counter(c.messages, s.MessagesRefused, "refused")
	counter(c.inbound, s.MessagesReceived)
	counter(c.invalid, s.InvalidFrames)
	counter(c.broadcasts, s.Broadcasts)
	counter(c.resends, s.Resends)
	counter(c.closes, s.SlowConsumerCloses, "slow_consumer")
	counter(c.closes, s.IdleTimeouts, "idle_timeout")
	counter(c.closes, s.RateLimitedCloses, "rate_limited")
	counter(c.offlineDropped, s.OfflineDropped)
	counter(c.offlineHandlerErrors, s.OfflineHandlerErrors)
	counter(c.bus, s.ForwardedOnly, "forwarded")
	counter(c.bus, s.ForwardsLost, "forward_lost")
	counter(c.bus, s.BusPublishErrors, "publish_error")
	counter(c.bus, s.BusSubscribeErrors, "subscribe_error")
	counter(c.bus, s.RosterAsks, "roster_ask")
	if rs == nil || rs.ByStatus == nil {
		return
	}
	for _, st := range recorder.Statuses {
		gauge(c.records, float64(rs.ByStatus[st]), string(st))
	}
	counter(c.recordsCreated, int64(rs.Created))
	counter(c.recordAttempts, int64(rs.RetryAttempts))
}
