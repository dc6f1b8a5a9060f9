package session

import "sync/atomic"

// Counters are lock-free metric counters the sessions of one hub add to.
type Counters struct {
	Received     atomic.Int64 // inbound frames
	Invalid      atomic.Int64 // inbound frames answered with an error frame
	SlowConsumer atomic.Int64 // connections closed with 3002
	IdleTimeouts atomic.Int64 // connections closed with 3001
	RateLimited  atomic.Int64 // connections closed with 3003
}
