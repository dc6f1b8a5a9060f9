package ack_test

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/ack"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeHub is the tracker's parent: it records what the tracker tells the hub.
type fakeHub struct {
	cfg     ack.Config
	tracker chan *actor.PID
	events  chan any
}

func (h *fakeHub) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		h.tracker <- ctx.Spawn(ack.Props(h.cfg))
	case *ack.Resend, *ack.GiveUp, *ack.Flushed:
		h.events <- m
	}
}

type env struct {
	sys     *actor.ActorSystem
	tracker *actor.PID
	events  chan any
	start   time.Time
}

func newEnv(t *testing.T, cfg ack.Config) *env {
	sys := actors.NewSystem()
	h := &fakeHub{cfg: cfg, tracker: make(chan *actor.PID, 1), events: make(chan any, 64)}
	pid := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return h }))
	t.Cleanup(func() {
		_ = sys.Root.StopFuture(pid).Wait() // test only: stops the tracker and its timers
		sys.Shutdown()
	})
	return &env{sys: sys, tracker: <-h.tracker, events: h.events, start: time.Now()}
}

func (e *env) next(t *testing.T) (any, time.Duration) {
	t.Helper()
	select {
	case ev := <-e.events:
		return ev, time.Since(e.start)
	case <-time.After(5 * time.Second):
		t.Fatal("no event from the tracker")
		return nil, 0
	}
}

func msg(id string) *protocol.Message { return &protocol.Message{ID: id, RequireAck: true} }

func TestBackoffDoublesThenGivesUp(t *testing.T) {
	// waits 60, 120, 240 ms, then 480 before the give-up. Timers fire late
	// under load, never early, and each wait starts when the previous one
	// ended: the k-th event comes no sooner than the sum of the waits before
	// it, which a backoff that did not double could not reach. (Bounds on the
	// time between two events would not hold: an event read late makes the
	// next interval look short.)
	const timeout = 60 * time.Millisecond
	e := newEnv(t, ack.Config{Timeout: timeout, MaxRetry: 3, MaxBackoff: time.Minute})
	waiter := make(chan ack.Outcome, 1)
	e.sys.Root.Send(e.tracker, &ack.Track{Msg: msg("m1"), UserID: "u", Waiter: waiter})
	var due time.Duration
	for i, wait := range []time.Duration{timeout, 2 * timeout, 4 * timeout} {
		due += wait
		ev, at := e.next(t)
		r, ok := ev.(*ack.Resend)
		require.True(t, ok, "event %d: %T", i, ev)
		assert.Equal(t, i+1, r.Attempt)
		assert.GreaterOrEqual(t, at, due, "resend %d", i+1)
	}
	due += 8 * timeout
	ev, at := e.next(t)
	g, ok := ev.(*ack.GiveUp)
	require.True(t, ok, "%T", ev)
	assert.Equal(t, ack.MaxRetry, g.Result)
	assert.GreaterOrEqual(t, at, due, "the give-up")
	o := <-waiter
	assert.Equal(t, ack.MaxRetry, o.Result)
	assert.Equal(t, 3, o.Resends)
}

func TestMaxBackoffCapsEachWait(t *testing.T) {
	// seven waits of 100 ms; uncapped they would be 100, 200, 400 … 6,400
	// (12.7 s in all). A timer fires late under load, never early: the events
	// come no sooner than 100 ms apart in sum, and the last one long before
	// the uncapped backoff could have reached it (the bound leaves seconds
	// for lateness).
	const wait = 100 * time.Millisecond
	e := newEnv(t, ack.Config{Timeout: wait, MaxRetry: 6, MaxBackoff: wait})
	e.sys.Root.Send(e.tracker, &ack.Track{Msg: msg("m1"), UserID: "u"})
	var at time.Duration
	for i := range 7 {
		_, at = e.next(t)
		assert.GreaterOrEqual(t, at, time.Duration(i+1)*wait, "event %d", i)
	}
	assert.Less(t, at, 4*time.Second, "the waits are capped: uncapped, the last event comes after 12.7 s")
}

func TestAckEndsTrackingAndRejectionIsNoSuccess(t *testing.T) {
	e := newEnv(t, ack.Config{Timeout: time.Hour})
	w1, w2 := make(chan ack.Outcome, 1), make(chan ack.Outcome, 1)
	e.sys.Root.Send(e.tracker, &ack.Track{Msg: msg("ok"), UserID: "u", Waiter: w1})
	e.sys.Root.Send(e.tracker, &ack.Track{Msg: msg("no"), UserID: "u", Waiter: w2})
	e.sys.Root.Send(e.tracker, &ack.Ack{UserID: "u", MessageID: "ok", Status: protocol.AckConfirmed})
	e.sys.Root.Send(e.tracker, &ack.Ack{UserID: "u", MessageID: "no", Status: protocol.AckFailed, Error: "bad"})
	o := <-w1
	assert.Equal(t, ack.Acknowledged, o.Result)
	assert.True(t, o.Delivered())
	o = <-w2
	assert.Equal(t, ack.Rejected, o.Result)
	assert.Equal(t, "bad", o.Error)
}

func TestUserGoneAndFlushGiveUpToTheOfflinePath(t *testing.T) {
	e := newEnv(t, ack.Config{Timeout: time.Hour})
	w := make(chan ack.Outcome, 1)
	e.sys.Root.Send(e.tracker, &ack.Track{Msg: msg("a"), UserID: "gone", Waiter: w})
	e.sys.Root.Send(e.tracker, &ack.Track{Msg: msg("b"), UserID: "stays"})
	e.sys.Root.Send(e.tracker, &ack.UserGone{UserID: "gone"})
	ev, _ := e.next(t)
	g := ev.(*ack.GiveUp)
	assert.Equal(t, "gone", g.UserID)
	assert.Equal(t, ack.Offline, g.Result)
	assert.Equal(t, ack.Offline, (<-w).Result)

	e.sys.Root.Send(e.tracker, &ack.Flush{})
	ev, _ = e.next(t)
	assert.Equal(t, "stays", ev.(*ack.GiveUp).UserID)
	ev, _ = e.next(t)
	assert.IsType(t, &ack.Flushed{}, ev, "Flushed after the last GiveUp")
}

// Drop (a resend found the user on no node) ends tracking by handing the
// message back to the hub, and its waiter hears Offline; an ack after that is
// for nothing pending.
func TestDropHandsTheMessageBack(t *testing.T) {
	e := newEnv(t, ack.Config{Timeout: time.Hour})
	w := make(chan ack.Outcome, 1)
	e.sys.Root.Send(e.tracker, &ack.Track{Msg: msg("d"), UserID: "u", Waiter: w})
	e.sys.Root.Send(e.tracker, &ack.Drop{MessageID: "d", UserID: "u"})
	ev, _ := e.next(t)
	g := ev.(*ack.GiveUp)
	assert.Equal(t, "d", g.Msg.ID)
	assert.Equal(t, "u", g.UserID)
	assert.Equal(t, ack.Offline, g.Result)
	assert.Equal(t, ack.Offline, (<-w).Result)
	e.sys.Root.Send(e.tracker, &ack.Flush{})
	ev, _ = e.next(t)
	assert.IsType(t, &ack.Flushed{}, ev, "nothing left to give up")
}

// Stored: a message the hub stored at once gets its Offline outcome from the
// tracker, the observer's only caller.
func TestStoredIsReportedByTheTracker(t *testing.T) {
	seen := make(chan ack.Outcome, 1)
	e := newEnv(t, ack.Config{Timeout: time.Hour, Observer: func(o ack.Outcome) { seen <- o }})
	w := make(chan ack.Outcome, 1)
	e.sys.Root.Send(e.tracker, &ack.Stored{Msg: msg("s"), UserID: "away", Waiter: w})
	assert.Equal(t, ack.Offline, (<-w).Result)
	o := <-seen
	assert.Equal(t, "s", o.MessageID)
	assert.Equal(t, "away", o.UserID)
}

// sessionStub records the frames the tracker sends a session.
type sessionStub struct{ frames chan *protocol.Message }

func (s *sessionStub) Receive(ctx actor.Context) {
	if d, ok := ctx.Message().(*session.Control); ok {
		s.frames <- d.Msg
	}
}

func TestAnAckForNothingPendingGets4004(t *testing.T) {
	e := newEnv(t, ack.Config{})
	stub := &sessionStub{frames: make(chan *protocol.Message, 1)}
	pid := e.sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return stub }))
	defer e.sys.Root.Stop(pid)
	e.sys.Root.Send(e.tracker, &ack.Ack{PID: pid, UserID: "u", MessageID: "nope"})
	select {
	case m := <-stub.frames:
		assert.Equal(t, protocol.CodeUnknownMessage, m.Code)
		assert.Equal(t, "nope", m.MessageID)
	case <-time.After(5 * time.Second):
		t.Fatal("no 4004")
	}
}
