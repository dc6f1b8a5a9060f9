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

// standIn is the hub as a session sees it: it records what the session sends
// and answers Gone with Release, as the hub does.
type standIn struct{ got chan any }

func (h *standIn) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *session.Register, *session.Inbound, *session.AckIn:
		h.got <- m
	case *session.Gone:
		h.got <- m
		ctx.Send(m.PID, &session.Release{})
	}
}

// pipe is a transport on a real Outbox; the test reads what the session wrote.
type pipe struct {
	out      *session.Outbox
	closed   atomic.Int32 // the close code + 1
	consumed atomic.Int32
	done     func() // tells the session the transport is finished
}

func (p *pipe) Kind() session.Kind         { return session.KindWebSocket }
func (p *pipe) Send(f *session.Frame) bool { return p.out.Offer(f) }
func (p *pipe) WhenRoom(fn func())         { p.out.WhenRoom(fn) }
func (p *pipe) Queued() int                { return p.out.Len() }
func (p *pipe) Heartbeat()                 {}
func (p *pipe) Consumed()                  { p.consumed.Add(1) }
func (p *pipe) Drain() []*session.Frame    { return p.out.Drain() }
func (p *pipe) Close(code int, _ string) {
	if p.closed.CompareAndSwap(0, int32(code)+1) {
		go p.done()
	}
}

type env struct {
	sys      *actor.ActorSystem
	hub      chan any
	pipe     *pipe
	pid      *actor.PID
	counters *session.Counters
}

func newEnv(t *testing.T, cfg session.Config, outbox int) *env {
	sys := actors.NewSystem()
	e := &env{sys: sys, hub: make(chan any, 64), counters: &session.Counters{}}
	hubPID := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &standIn{got: e.hub} }))
	cfg.Hub, cfg.Counters = hubPID, e.counters
	ready := make(chan struct{})
	e.pipe = &pipe{out: session.NewOutbox(outbox, 1<<20)}
	e.pipe.done = func() { <-ready; sys.Root.Send(e.pid, &session.TransportDone{}) }
	e.pid = sys.Root.Spawn(session.Props(cfg, session.Identity{UserID: "me"}, e.pipe))
	close(ready)
	t.Cleanup(func() {
		_ = sys.Root.StopFuture(e.pid).Wait()
		_ = sys.Root.StopFuture(hubPID).Wait()
		sys.Shutdown()
	})
	reg := e.next(t).(*session.Register)
	assert.Equal(t, "me", reg.Identity.UserID)
	assert.Equal(t, e.pipe, reg.Transport)
	return e
}

func (e *env) next(t *testing.T) any {
	t.Helper()
	select {
	case m := <-e.hub:
		return m
	case <-time.After(5 * time.Second):
		t.Fatal("nothing reached the hub")
		return nil
	}
}

// written is the next frame the session queued for the writer, written as a
// transport's writer does: an answer carrying its inbound frame's credit
// gives it back then.
func (e *env) written(t *testing.T) *protocol.Message {
	t.Helper()
	select {
	case f := <-e.pipe.out.C():
		e.pipe.out.Written(f)
		if f.Credit {
			e.pipe.Consumed()
		}
		return f.Msg
	case <-time.After(5 * time.Second):
		t.Fatal("nothing written")
		return nil
	}
}

// queued waits until the session has queued n frames for the writer.
func (e *env) queued(t *testing.T, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return e.pipe.out.Len() == n }, 5*time.Second, time.Millisecond)
}

func (e *env) closedWith(t *testing.T, code int) {
	t.Helper()
	require.Eventually(t, func() bool { return e.pipe.closed.Load() == int32(code)+1 }, 5*time.Second, time.Millisecond)
}

func TestInboundFramesGoToTheHubWithTheTrueSender(t *testing.T) {
	e := newEnv(t, session.Config{}, 8)
	e.sys.Root.Send(e.pid, &session.Received{Data: []byte(`{"to":"you","from":"someone-else","content":"hi"}`)})
	in := e.next(t).(*session.Inbound)
	assert.Equal(t, "me", in.Msg.From)
	assert.Equal(t, "you", in.Msg.To)
	e.sys.Root.Send(e.pid, &session.Received{Data: []byte(`{"type":"ack","message_id":"m1"}`)})
	assert.Equal(t, "m1", e.next(t).(*session.AckIn).Ack.MessageID)
	assert.Zero(t, e.pipe.consumed.Load(), "routed frames give their credit back from the hub")
}

func TestBadFramesAndPingsAreAnsweredByTheSession(t *testing.T) {
	e := newEnv(t, session.Config{}, 8)
	e.sys.Root.Send(e.pid, &session.Received{Data: []byte(`{nope`)})
	m := e.written(t)
	assert.Equal(t, protocol.TypeError, m.Type)
	assert.Equal(t, protocol.CodeInvalidFrame, m.Code)
	e.sys.Root.Send(e.pid, &session.Received{Data: []byte(`{"type":"ping"}`)})
	assert.Equal(t, protocol.TypePong, e.written(t).Type)
	e.sys.Root.Send(e.pid, &session.Control{Msg: protocol.NewError(protocol.CodeForbidden, "no", "")})
	assert.Equal(t, protocol.CodeForbidden, e.written(t).Code)
	assert.EqualValues(t, 2, e.pipe.consumed.Load(), "frames handled here give their credit back here")
}

// An answer to an inbound frame (an error, a pong, the hub's refusal) carries
// the frame's credit until it is written: a client that sends faster than it
// reads its answers is held back by its reader, and its outbox never fills
// with answers (a flooder that did not read its 4029s was closed with 3002).
func TestAnswersGiveTheCreditBackOnceWritten(t *testing.T) {
	e := newEnv(t, session.Config{}, 8)
	e.sys.Root.Send(e.pid, &session.Received{Data: []byte(`{nope`)})
	e.sys.Root.Send(e.pid, &session.Received{Data: []byte(`{"type":"ping"}`)})
	e.sys.Root.Send(e.pid, &session.Control{Msg: protocol.NewError(protocol.CodeQueueFull, "full", ""), Consumed: true})
	e.sys.Root.Send(e.pid, &session.Control{Msg: protocol.NewError(protocol.CodeForbidden, "no", "")})
	e.queued(t, 4)
	assert.Zero(t, e.pipe.consumed.Load(), "no credit back before the answers are written")
	assert.Equal(t, protocol.CodeInvalidFrame, e.written(t).Code)
	assert.EqualValues(t, 1, e.pipe.consumed.Load())
	assert.Equal(t, protocol.TypePong, e.written(t).Type)
	assert.EqualValues(t, 2, e.pipe.consumed.Load())
	assert.Equal(t, protocol.CodeQueueFull, e.written(t).Code)
	assert.EqualValues(t, 3, e.pipe.consumed.Load())
	assert.Equal(t, protocol.CodeForbidden, e.written(t).Code)
	assert.EqualValues(t, 3, e.pipe.consumed.Load(), "a control frame that answers nothing carries no credit")
}

// A control frame refused by a full outbox makes the connection a slow
// consumer; the session keeps nothing.
func TestAFullOutboxClosesWith3002(t *testing.T) {
	e := newEnv(t, session.Config{}, 1)
	e.sys.Root.Send(e.pid, &session.Control{Msg: protocol.NewError(1, "a", "")})
	e.sys.Root.Send(e.pid, &session.Control{Msg: protocol.NewError(1, "b", "")})
	e.closedWith(t, protocol.CloseSlowConsumer)
	g := e.next(t).(*session.Gone)
	assert.Equal(t, protocol.CloseSlowConsumer, g.Code)
	assert.EqualValues(t, 1, e.counters.SlowConsumer.Load())
}

func TestRateLimitClosesWith3003(t *testing.T) {
	e := newEnv(t, session.Config{RateLimit: 1, RateBurst: 2}, 8)
	for range 3 {
		e.sys.Root.Send(e.pid, &session.Received{Data: []byte(`{"type":"ping"}`)})
	}
	e.closedWith(t, protocol.CloseRateLimited)
	assert.EqualValues(t, 1, e.counters.RateLimited.Load())
	assert.Equal(t, protocol.CloseRateLimited, e.next(t).(*session.Gone).Code)
}

func TestIdleConnectionClosesWith3001(t *testing.T) {
	e := newEnv(t, session.Config{ClientTimeout: 50 * time.Millisecond}, 8)
	e.closedWith(t, protocol.CloseIdleTimeout)
	assert.Equal(t, protocol.CloseIdleTimeout, e.next(t).(*session.Gone).Code)
}

func TestCloseCmdEndsInGoneAndRelease(t *testing.T) {
	e := newEnv(t, session.Config{}, 8)
	e.sys.Root.Send(e.pid, &session.CloseCmd{Code: protocol.CloseReplaced, Text: "replaced"})
	e.closedWith(t, protocol.CloseReplaced)
	g := e.next(t).(*session.Gone)
	assert.Equal(t, e.pid.Id, g.PID.Id)
	assert.Equal(t, "me", g.UserID)
	// the stand-in answered Release: the actor stops (Cleanup's StopFuture and
	// goleak would hang or complain otherwise)
}

// A Post reaches the session's frame handling only with the session's secret
// and from its user.
func TestPostChecksSecretAndUser(t *testing.T) {
	e := newEnv(t, session.Config{PostSecret: "s3cret"}, 8)
	ask := func(secret, user string) error {
		reply := make(chan error, 1)
		e.sys.Root.Send(e.pid, &session.Post{Secret: secret, UserID: user, Reply: reply,
			Frames: [][]byte{[]byte(`{"to":"you","content":"posted"}`)}})
		select {
		case err := <-reply:
			return err
		case <-time.After(5 * time.Second):
			t.Fatal("no answer")
			return nil
		}
	}
	assert.ErrorIs(t, ask("guess", "me"), session.ErrUnknownSession)
	assert.ErrorIs(t, ask("", "me"), session.ErrUnknownSession)
	assert.ErrorIs(t, ask("s3cret", "other"), session.ErrWrongUser)
	require.NoError(t, ask("s3cret", "me"))
	assert.Equal(t, "posted", e.next(t).(*session.Inbound).Msg.Content)
}
