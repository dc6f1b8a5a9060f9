package hub

import (
	"reflect"
	"sync/atomic"
	"time"

	"github.com/go-wsc/go-wsc/actors/session"
)

// metrics are lock-free counters: the hub, its sessions and the transports add
// to them, and Stats reads them without asking anyone. Each shard has its own
// (newShardMetrics), and so do its sessions (Hub.SessionConfigFor): counters
// that every message bumps, shared by goroutines on different cores, would
// move their cache line between the cores on each message. Stats sums them
// (gatherStats).
type metrics struct {
	_        [64]byte // its own cache lines, apart from the allocation before it
	sessions session.Counters

	accepted             atomic.Int64 // messages the hub accepted for routing
	delivered            atomic.Int64 // messages handed to at least one connection
	offline              atomic.Int64 // messages handed to the offline path
	offlineDropped       atomic.Int64 // messages the offline store evicted to stay bounded
	offlineHandlerErrors atomic.Int64 // OfflineHandler errors and panics
	broadcasts           atomic.Int64 // broadcast messages
	broadcastUnsent      atomic.Int64 // broadcast copies a closing connection never wrote
	encodes              atomic.Int64 // message encodings (once per message, not per recipient)
	refused              atomic.Int64 // messages refused (no such ticket, not a member, …)
	resends              atomic.Int64 // copies resent for want of an ack
	forwardedOnly        atomic.Int64 // messages that reached other nodes only (their reports settle them)
	forwardsLost         atomic.Int64 // forwarded copies no report came for: sent to the offline path here
	busPublishErrors     atomic.Int64 // bus messages the bus refused to publish
	busSubscribeErrors   atomic.Int64 // subscriptions the bus refused (tried again each heartbeat)
	storeErrors          atomic.Int64 // store writes refused or failed
	rosterAsks           atomic.Int64 // full user lists asked of other nodes (their digest disagreed)
	floodRefused         atomic.Int64 // client messages refused (4029): their receiver's queue was past its high-water mark
	_                    [64]byte     // and apart from the allocation after it
}

// newShardMetrics gives each of n shards its counters.
func newShardMetrics(n int) []*metrics {
	ms := make([]*metrics, n)
	for i := range ms {
		ms[i] = &metrics{}
	}
	return ms
}

// Stats is a snapshot of the hub: its own maps, read in its mailbox, and the
// counters.
type Stats struct {
	NodeID         string
	Uptime         time.Duration
	Connections    int
	WSConnections  int
	SSEConnections int
	Users          int
	Tickets        int
	OfflineStored  int

	MessagesAccepted     int64
	MessagesDelivered    int64
	MessagesOffline      int64
	MessagesReceived     int64 // inbound frames from clients
	MessagesRefused      int64
	OfflineDropped       int64
	OfflineHandlerErrors int64
	Broadcasts           int64
	BroadcastUnsent      int64
	Encodes              int64
	InvalidFrames        int64
	SlowConsumerCloses   int64
	IdleTimeouts         int64
	RateLimitedCloses    int64
	Resends              int64
	ForwardedOnly        int64
	ForwardsLost         int64
	BusPublishErrors     int64
	BusSubscribeErrors   int64
	StoreErrors          int64
	FloodRefused         int64
	RosterAsks           int64
	// Remembered is how many users the hub keeps in memory: connected, or
	// active within UserIdle.
	Remembered int
}

// add sums o's counts into s: every field of type int or int64 (the maps'
// sizes and the counters; not NodeID, not Uptime, a time.Duration). By
// reflection, so that a counter added to Stats is summed without a line here;
// Stats is asked for seldom.
func (s *Stats) add(o Stats) {
	sv, ov := reflect.ValueOf(s).Elem(), reflect.ValueOf(o)
	for i := range sv.NumField() {
		switch f := sv.Field(i); f.Type() {
		case intType:
			f.SetInt(f.Int() + ov.Field(i).Int())
		case int64Type:
			f.SetInt(f.Int() + ov.Field(i).Int())
		}
	}
}

var intType, int64Type = reflect.TypeFor[int](), reflect.TypeFor[int64]()

func (m *metrics) fill(s *Stats) {
	s.MessagesAccepted = m.accepted.Load()
	s.MessagesDelivered = m.delivered.Load()
	s.MessagesOffline = m.offline.Load()
	s.MessagesReceived = m.sessions.Received.Load()
	s.MessagesRefused = m.refused.Load()
	s.OfflineDropped = m.offlineDropped.Load()
	s.OfflineHandlerErrors = m.offlineHandlerErrors.Load()
	s.Broadcasts = m.broadcasts.Load()
	s.BroadcastUnsent = m.broadcastUnsent.Load()
	s.Encodes = m.encodes.Load()
	s.InvalidFrames = m.sessions.Invalid.Load()
	s.SlowConsumerCloses = m.sessions.SlowConsumer.Load()
	s.IdleTimeouts = m.sessions.IdleTimeouts.Load()
	s.RateLimitedCloses = m.sessions.RateLimited.Load()
	s.Resends = m.resends.Load()
	s.ForwardedOnly = m.forwardedOnly.Load()
	s.ForwardsLost = m.forwardsLost.Load()
	s.BusPublishErrors = m.busPublishErrors.Load()
	s.BusSubscribeErrors = m.busSubscribeErrors.Load()
	s.StoreErrors = m.storeErrors.Load()
	s.FloodRefused = m.floodRefused.Load()
	s.RosterAsks = m.rosterAsks.Load()
}
