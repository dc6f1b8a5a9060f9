package session_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// beats is a pipe that counts the keepalives the session asks for.
type beats struct {
	*pipe
	n atomic.Int32
}

func (b *beats) Heartbeat() { b.n.Add(1) }

// newBeatsEnv is newEnv on a transport that counts heartbeats; opts
// configure the session's props.
func newBeatsEnv(t *testing.T, cfg session.Config, opts ...actor.PropsOption) (*env, *beats) {
	sys := actors.NewSystem()
	e := &env{sys: sys, hub: make(chan any, 64), counters: &session.Counters{}}
	hubPID := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &standIn{got: e.hub} }))
	cfg.Hub, cfg.Counters = hubPID, e.counters
	ready := make(chan struct{})
	e.pipe = &pipe{out: session.NewOutbox(8, 1<<20)}
	e.pipe.done = func() { <-ready; sys.Root.Send(e.pid, &session.TransportDone{}) }
	b := &beats{pipe: e.pipe}
	e.pid = sys.Root.Spawn(session.Props(cfg, session.Identity{UserID: "me"}, b).Configure(opts...))
	close(ready)
	t.Cleanup(func() {
		_ = sys.Root.StopFuture(e.pid).Wait()
		_ = sys.Root.StopFuture(hubPID).Wait()
		sys.Shutdown()
	})
	require.IsType(t, &session.Register{}, e.next(t))
	return e, b
}

// ClientTimeout zero: never closed for silence, however many keepalives go by.
func TestNoClientTimeoutKeepsASilentConnection(t *testing.T) {
	e, b := newBeatsEnv(t, session.Config{HeartbeatInterval: 5 * time.Millisecond})
	require.Eventually(t, func() bool { return b.n.Load() >= 5 }, 5*time.Second, time.Millisecond, "keepalives")
	assert.Zero(t, e.pipe.closed.Load(), "closed")
	assert.Zero(t, e.counters.IdleTimeouts.Load())
}

// HeartbeatInterval zero: no keepalive, even when the idle timer fires early
// because the client spoke meanwhile; the connection still closes when idle.
func TestNoHeartbeatIntervalSendsNoKeepalive(t *testing.T) {
	e, b := newBeatsEnv(t, session.Config{ClientTimeout: 600 * time.Millisecond})
	// the client speaks 300 ms in (the gap is the test's input, not a wait
	// for an event): the timer armed for 600 ms then fires up to 300 ms
	// before the deadline. Halfway leaves a loaded machine room both ways:
	// the ping may come late (but before the deadline) and the timer fire
	// late (but before the ping's deadline).
	time.Sleep(300 * time.Millisecond)
	e.sys.Root.Send(e.pid, &session.Received{Data: []byte(`{"type":"ping"}`)})
	assert.Equal(t, protocol.TypePong, e.written(t).Type)
	e.closedWith(t, protocol.CloseIdleTimeout)
	assert.Zero(t, b.n.Load(), "keepalives")
}

// Keepalives follow HeartbeatInterval while the client is silent, and the
// idle close comes at ClientTimeout, not at the first keepalive. Each
// keepalive is due an interval after the previous one ran, so late ticks on a
// loaded machine push them back: the timeout leaves room for 20 of them, of
// which 3 must come.
func TestKeepalivesThenIdleClose(t *testing.T) {
	const timeout = 400 * time.Millisecond
	start := time.Now() // before the session starts its clock
	e, b := newBeatsEnv(t, session.Config{HeartbeatInterval: 20 * time.Millisecond, ClientTimeout: timeout})
	e.closedWith(t, protocol.CloseIdleTimeout)
	assert.GreaterOrEqual(t, time.Since(start), timeout)
	assert.GreaterOrEqual(t, b.n.Load(), int32(3), "keepalives before the idle close")
	assert.EqualValues(t, 1, e.counters.IdleTimeouts.Load())
}
