package session_test

import (
	"testing"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
)

// The bucket refills at RateLimit tokens a second: at a billion a second a
// token is back within a nanosecond, so a burst of one never runs dry; and a
// full bucket of one token lets a frame through.
func TestRateLimitRefillsAtItsRate(t *testing.T) {
	e := newEnv(t, session.Config{RateLimit: 1e9, RateBurst: 1}, 16)
	for range 10 {
		e.sys.Root.Send(e.pid, &session.Received{Data: []byte(`{"type":"ping"}`)})
	}
	for range 10 {
		assert.Equal(t, protocol.TypePong, e.written(t).Type)
	}
	assert.Zero(t, e.pipe.closed.Load(), "closed")
	assert.Zero(t, e.counters.RateLimited.Load())
}
