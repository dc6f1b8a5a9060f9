package actors

import (
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// NewSystem starts an actor system with protoactor-go's logger silenced (it is
// chatty at info level) and dead letters logged at most every 10 ms, which also
// keeps its throttling goroutine short-lived enough for goleak. Extra options
// are applied after these.
func NewSystem(opts ...actor.ConfigOption) *actor.ActorSystem {
	base := []actor.ConfigOption{
		actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return slog.New(slog.DiscardHandler) }),
		actor.WithDeadLetterThrottleInterval(10 * time.Millisecond),
	}
	return actor.NewActorSystem(append(base, opts...)...)
}
