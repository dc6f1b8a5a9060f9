package hub

import (
	"fmt"
	"github.com/go-wsc/go-wsc/store"
	"time"

	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// Config is the hub's configuration. Every zero value means the default given in
// its comment (SPEC.md's defaults), so Config{} is a working single node.
type Config struct {
	// NodeID names this hub; zero: node-<ip>-<Port>-<n>.
	NodeID string
	// Port goes into the generated node id; zero: 0.
	Port int

	// HeartbeatInterval between WebSocket pings; zero: 30 s.
	HeartbeatInterval time.Duration
	// ClientTimeout closes (3001) a connection silent this long; zero: 90 s.
	// A WebSocket connection gets up to a tenth of it more (at most 1 s): its
	// reader reports routed frames to the session at most that often.
	ClientTimeout time.Duration
	// MessageBufferSize bounds each connection's outbound queue in frames; zero: 256.
	MessageBufferSize int
	// MaxQueueBytes bounds each connection's outbound queue in bytes; zero: 1 MiB.
	MaxQueueBytes int64
	// MaxMessageSize is the largest inbound frame; zero: 64 KiB.
	MaxMessageSize int64
	// RateLimit is the inbound frames per second per connection (bursts of
	// RateBurst, zero: RateLimit rounded up); zero: no limit.
	RateLimit float64
	RateBurst int
	// MaxConnectionsPerUser refuses (close 1008) connections beyond it; zero: no limit.
	MaxConnectionsPerUser int
	// MaxTickets bounds the ticket groups on this node, MaxTicketsPerUser the
	// groups one user is a member of: a join past either is refused
	// (ErrTooManyTickets). Zero: 100 000 and 1 000.
	MaxTickets, MaxTicketsPerUser int

	// SSEHeartbeat is the interval between SSE heartbeat comments; zero: 30 s.
	SSEHeartbeat time.Duration
	// SSETimeout ends an SSE stream after this long without client activity (an
	// inbound POST, or a reconnect); zero: 2 min.
	SSETimeout time.Duration
	// SSEMessageBuffer bounds an SSE stream's outbound queue in frames; zero: 100.
	SSEMessageBuffer int
	// RecentPerUser is how many recent messages the hub keeps per user so that a
	// reconnecting SSE client (Last-Event-ID) misses nothing; zero: 64.
	RecentPerUser int
	// RecentBytesPerUser bounds the same in bytes (content and data); zero:
	// 256 KiB.
	RecentBytesPerUser int64
	// HistoryTTL is how long the in-memory store keeps a message in a user's
	// history for a resume; zero: 1 h (a network switch or a deploy; older
	// than that the offline store takes over). A Store given has its own.
	HistoryTTL time.Duration
	// UserIdle is how long a user with no connection here and no message
	// stays in the hub's memory (its recent ring and sequence; the store keeps
	// both). Zero: 5 min.
	UserIdle time.Duration

	// EnableAck makes every message require an ack (a message may also ask for
	// one with require_ack).
	EnableAck bool
	// AckTimeout is the first wait for an ack; each later wait doubles; zero: 5 s.
	AckTimeout time.Duration
	// MaxRetry is how many copies are resent without an ack; zero: 3; negative: none.
	MaxRetry int
	// MaxBackoff caps each wait for an ack; zero: 1 min.
	MaxBackoff time.Duration
	// AckObserver, when set, sees every ack outcome. It runs on the ack tracker's
	// mailbox: it must be quick and must not block.
	AckObserver func(Outcome)

	// DisableMessageRecord turns the message records off (go-wsc's
	// EnableMessageRecord, which is on by default): no records, no cost.
	DisableMessageRecord bool
	// MaxRecords bounds the records kept; zero: 10 000.
	MaxRecords int
	// MaxRecordBytes bounds the records by size (recorder.Config); zero: 64 MiB.
	MaxRecordBytes int64
	// RecordRetention is how long a record is kept; zero: 24 h.
	RecordRetention time.Duration
	// RecordStore holds the records; zero: in memory.
	RecordStore recorder.RecordStore

	// Shards is how many hub actors share the routing, each on a goroutine
	// of its own, users and tickets spread over them by hash (shards.go).
	// Zero: GOMAXPROCS (WSC_TEST_SHARDS, when set, overrides that for tests).
	// A hub with a Bus, or with a Store that is not a store.DB, runs one.
	Shards int

	// Bus links this hub with the hubs of other nodes (transport/nats); nil: a
	// single node. The hub starts it in New and closes it in Shutdown.
	Bus Bus
	// ClusterHeartbeat is how often a node announces its users; a node silent for
	// three heartbeats is taken for dead. Zero: 1 s.
	ClusterHeartbeat time.Duration

	// Welcome, when set, gives the first frame of each new connection.
	Welcome WelcomeProvider
	// Authorize, when set, may refuse (4001) or rewrite each inbound message. It
	// runs on the session's mailbox: it must not block.
	Authorize func(id *session.Identity, m *protocol.Message) error

	// Store keeps what must survive a restart: the offline store, messages
	// waiting for acks, sequence numbers, ticket memberships (package store;
	// store/bolt on disk). Nil: an in-memory store bounded by OfflinePerUser
	// and OfflineTotal, which the hub closes when it stops; a Store given here
	// is the caller's to close, after Shutdown.
	Store store.Store
	// OfflinePerUser bounds the in-memory store's offline messages per user;
	// zero: 1000. (A Store given above has its own bounds.)
	OfflinePerUser int
	// OfflineTotal bounds the in-memory store's offline messages in all; zero:
	// 100 000.
	OfflineTotal int
	// OfflinePerUserBytes and OfflineTotalBytes bound the in-memory store's
	// offline messages in encoded bytes; zero: 8 MiB and 256 MiB.
	OfflinePerUserBytes, OfflineTotalBytes int64
	// OfflineHandler, when set, is told of every message handed to the offline
	// path (go-wsc's HandleOfflineMessage). It is called from one goroutine of its
	// own, in order, never from the hub's mailbox.
	OfflineHandler OfflineHandler
}

func (c Config) withDefaults() (Config, error) {
	for name, d := range map[string]time.Duration{"HeartbeatInterval": c.HeartbeatInterval, "ClientTimeout": c.ClientTimeout, "SSEHeartbeat": c.SSEHeartbeat, "SSETimeout": c.SSETimeout, "AckTimeout": c.AckTimeout, "MaxBackoff": c.MaxBackoff, "ClusterHeartbeat": c.ClusterHeartbeat, "HistoryTTL": c.HistoryTTL, "UserIdle": c.UserIdle} {
		if d < 0 {
			return c, fmt.Errorf("%w: %s is negative", ErrInvalidConfig, name)
		}
	}
	if c.MessageBufferSize < 0 || c.MaxQueueBytes < 0 || c.MaxMessageSize < 0 || c.RateLimit < 0 ||
		c.OfflinePerUser < 0 || c.SSEMessageBuffer < 0 || c.RecentPerUser < 0 || c.OfflineTotal < 0 || c.MaxConnectionsPerUser < 0 {
		return c, fmt.Errorf("%w: negative limit", ErrInvalidConfig)
	}
	def := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.HeartbeatInterval, 30*time.Second)
	def(&c.ClientTimeout, 90*time.Second)
	def(&c.SSEHeartbeat, 30*time.Second)
	def(&c.SSETimeout, 2*time.Minute)
	def(&c.AckTimeout, 5*time.Second)
	def(&c.ClusterHeartbeat, time.Second)
	def(&c.HistoryTTL, time.Hour)
	def(&c.UserIdle, 5*time.Minute)
	def(&c.MaxBackoff, time.Minute)
	if c.MaxRetry == 0 {
		c.MaxRetry = 3
	}
	if c.SSEMessageBuffer == 0 {
		c.SSEMessageBuffer = 100
	}
	if c.RecentPerUser == 0 {
		c.RecentPerUser = 64
	}
	if c.MaxTickets <= 0 {
		c.MaxTickets = 100_000
	}
	if c.MaxTicketsPerUser <= 0 {
		c.MaxTicketsPerUser = 1000
	}
	if c.RecentBytesPerUser <= 0 {
		c.RecentBytesPerUser = 256 << 10
	}
	if c.MessageBufferSize == 0 {
		c.MessageBufferSize = 256
	}
	if c.MaxQueueBytes == 0 {
		c.MaxQueueBytes = 1 << 20
	}
	if c.MaxMessageSize == 0 {
		c.MaxMessageSize = 64 << 10
	}
	if c.RateLimit > 0 && c.RateBurst <= 0 {
		c.RateBurst = int(c.RateLimit + 0.999)
	}
	if c.OfflinePerUser == 0 {
		c.OfflinePerUser = 1000
	}
	if c.OfflineTotal == 0 {
		c.OfflineTotal = 100_000
	}
	if c.OfflinePerUserBytes <= 0 {
		c.OfflinePerUserBytes = 8 << 20
	}
	if c.OfflineTotalBytes <= 0 {
		c.OfflineTotalBytes = 256 << 20
	}
	if c.Shards < 0 {
		return c, fmt.Errorf("%w: negative Shards", ErrInvalidConfig)
	}
	c.Shards = shardCount(c.Shards)
	if c.NodeID == "" {
		c.NodeID = newNodeID(c.Port)
	}
	return c, nil
}
