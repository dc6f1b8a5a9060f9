package session

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/protocol"
)

// Config is what a session needs beyond its identity and transport. The hub
// fills it from hub.Config; zero values switch a feature off, they are not
// defaults.
type Config struct {
	// Hub receives Register, Inbound, AckIn and Gone.
	Hub *actor.PID
	// Route, when set, names where an inbound message goes instead of Hub
	// (nil: Hub): a hub of several shards sends a message to a user to the
	// receiver's shard.
	Route func(m *protocol.Message) *actor.PID
	// PostSecret, when set, is what a Post must name to reach this session:
	// the SSE transport's inbound path finds the session by its PID and proves
	// it is the stream's client with this secret.
	PostSecret string
	// HeartbeatInterval between keepalives; zero: none.
	HeartbeatInterval time.Duration
	// ClientTimeout closes (3001) a connection from which nothing arrived for this
	// long (plus aliveEvery's slack once an Ingress reads for it); zero: never.
	ClientTimeout time.Duration
	// RateLimit is the inbound frames per second allowed (with RateBurst); beyond
	// it the connection is closed with 3003. Zero: no limit.
	RateLimit float64
	RateBurst int
	// Authorize may refuse (4001 error frame) or rewrite an inbound message.
	Authorize func(id *Identity, m *protocol.Message) error
	// Counters, shared with the hub's stats; nil: private ones.
	Counters *Counters
}

// hubFor is where the inbound message m goes: Route's choice, else Hub.
func (c *Config) hubFor(m *protocol.Message) *actor.PID {
	if c.Route != nil {
		if pid := c.Route(m); pid != nil {
			return pid
		}
	}
	return c.Hub
}
