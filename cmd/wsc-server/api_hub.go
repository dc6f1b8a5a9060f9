package main

import (
	"net/http"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/recorder"
)

// statsView is hub.Stats, plus the records' counts, as the API writes them.
type statsView struct {
	NodeID               string           `json:"node_id"`
	UptimeSeconds        float64          `json:"uptime_seconds"`
	Connections          int              `json:"connections"`
	WSConnections        int              `json:"ws_connections"`
	SSEConnections       int              `json:"sse_connections"`
	Users                int              `json:"users"`
	Tickets              int              `json:"tickets"`
	OfflineStored        int              `json:"offline_stored"`
	MessagesAccepted     int64            `json:"messages_accepted"`
	MessagesDelivered    int64            `json:"messages_delivered"`
	MessagesOffline      int64            `json:"messages_offline"`
	MessagesReceived     int64            `json:"messages_received"`
	MessagesRefused      int64            `json:"messages_refused"`
	OfflineDropped       int64            `json:"offline_dropped"`
	OfflineHandlerErrors int64            `json:"offline_handler_errors"`
	Broadcasts           int64            `json:"broadcasts"`
	BroadcastUnsent      int64            `json:"broadcast_unsent"`
	Encodes              int64            `json:"encodes"`
	InvalidFrames        int64            `json:"invalid_frames"`
	SlowConsumerCloses   int64            `json:"slow_consumer_closes"`
	IdleTimeouts         int64            `json:"idle_timeouts"`
	RateLimitedCloses    int64            `json:"rate_limited_closes"`
	Resends              int64            `json:"resends"`
	Records              *recordStatsView `json:"records"` // null when records are off
}

type recordStatsView struct {
	Total         int                     `json:"total"`
	ByStatus      map[recorder.Status]int `json:"by_status"`
	ByReason      map[recorder.Reason]int `json:"by_reason"`
	SuccessRate   float64                 `json:"success_rate"`
	Created       uint64                  `json:"created"`
	RetryAttempts uint64                  `json:"retry_attempts"`
}

func viewStats(s hub.Stats, rs *recorder.Stats) statsView {
	v := statsView{
		NodeID: s.NodeID, UptimeSeconds: s.Uptime.Seconds(), Connections: s.Connections,
		WSConnections: s.WSConnections, SSEConnections: s.SSEConnections, Users: s.Users, Tickets: s.Tickets,
		OfflineStored: s.OfflineStored, MessagesAccepted: s.MessagesAccepted, MessagesDelivered: s.MessagesDelivered,
		MessagesOffline: s.MessagesOffline, MessagesReceived: s.MessagesReceived, MessagesRefused: s.MessagesRefused,
		OfflineDropped: s.OfflineDropped, OfflineHandlerErrors: s.OfflineHandlerErrors, Broadcasts: s.Broadcasts,
		BroadcastUnsent: s.BroadcastUnsent, Encodes: s.Encodes, InvalidFrames: s.InvalidFrames,
		SlowConsumerCloses: s.SlowConsumerCloses, IdleTimeouts: s.IdleTimeouts, RateLimitedCloses: s.RateLimitedCloses,
		Resends: s.Resends,
	}
	if rs != nil {
		v.Records = &recordStatsView{Total: rs.Total, ByStatus: rs.ByStatus, ByReason: rs.ByReason,
			SuccessRate: rs.SuccessRate, Created: rs.Created, RetryAttempts: rs.RetryAttempts}
	}
	return v
}

func (s *server) handleStats(w http.ResponseWriter, r *http.Request) {
	st, err := s.hub.Stats(r.Context())
	if err != nil {
		writeHubError(w, err)
		return
	}
	var rs *recorder.Stats
	if s.hub.Records().Enabled() {
		got, err := s.hub.Records().Stats(r.Context())
		if err != nil {
			writeHubError(w, err)
			return
		}
		rs = &got
	}
	writeJSON(w, http.StatusOK, viewStats(st, rs))
}

func (s *server) handleUsers(w http.ResponseWriter, r *http.Request) {
	users, err := s.hub.OnlineUsers(r.Context())
	if err != nil {
		writeHubError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": users, "count": len(users)})
}
