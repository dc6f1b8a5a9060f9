package session_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/stretchr/testify/assert"
)

// A silent connection with only one of its timers on costs nothing: the timer
// is armed for what is on (a keepalive, or the idle close), never for a
// deadline that is off, which would fire at once, again and again. A spinning
// timer shows as messages to the session while nothing happens; counting them
// (rather than the process's CPU time) holds on a loaded machine, where a
// spinner gets little CPU and other goroutines use some.
func TestASilentSessionDoesNotSpin(t *testing.T) {
	for name, cfg := range map[string]session.Config{
		"keepalives off": {ClientTimeout: time.Hour},
		"idle close off": {HeartbeatInterval: time.Hour},
	} {
		t.Run(name, func(t *testing.T) {
			var received atomic.Int64
			count := actor.WithReceiverMiddleware(func(next actor.ReceiverFunc) actor.ReceiverFunc {
				return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
					received.Add(1)
					next(c, env)
				}
			})
			e, b := newBeatsEnv(t, cfg, count)
			before := received.Load()
			<-time.After(200 * time.Millisecond) // the test's input: 200 ms of silence
			assert.Zero(t, received.Load()-before, "messages to the session over 200 ms of silence")
			assert.Zero(t, b.n.Load(), "keepalives")
			assert.Zero(t, e.pipe.closed.Load(), "closed")
		})
	}
}
