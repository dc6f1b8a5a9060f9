package recorder

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/go-wsc/go-wsc/protocol"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// waitFor bounds every wait in these tests.
const waitFor = 5 * time.Second

func newSystem() *actor.ActorSystem {
	return actor.NewActorSystem(
		actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return slog.New(slog.DiscardHandler) }),
		actor.WithDeadLetterThrottleInterval(10*time.Millisecond),
	)
}

// newRecorder starts an enabled recorder in a fresh actor system and stops
// both when the test ends.
func newRecorder(tb testing.TB, cfg Config) *Recorder {
	tb.Helper()
	system := newSystem()
	cfg.Enabled = true
	r, err := New(system, cfg)
	require.NoError(tb, err)
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitFor)
		defer cancel()
		require.NoError(tb, r.Stop(ctx))
		system.Shutdown()
	})
	return r
}

// ctx is a context that ends with the test, bounded by waitFor.
func ctx(tb testing.TB) context.Context {
	c, cancel := context.WithTimeout(tb.Context(), waitFor)
	tb.Cleanup(cancel)
	return c
}

func message(id string) *protocol.Message {
	return &protocol.Message{ID: id, Type: protocol.TypeText, To: "u1", Content: "hello " + id, Data: map[string]any{"k": "v"}}
}

// created records n messages m-0 … m-(n-1) for user u1.
func created(r *Recorder, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("m-%d", i)
		r.Created(message(ids[i]), "u1", "")
	}
	return ids
}

// recv waits for one value on ch.
func recv[T any](tb testing.TB, ch <-chan T) T {
	tb.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(waitFor):
		tb.Fatal("timed out waiting for a hook")
		panic("unreachable")
	}
}

func ids(recs []Record) []string {
	out := make([]string, len(recs))
	for i, rec := range recs {
		out[i] = rec.ID
	}
	return out
}
