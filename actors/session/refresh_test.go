package session_test

import (
	"errors"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newCredEnv is newEnv for an identity proven by cred.
func newCredEnv(t *testing.T, cred *session.Credential) *env {
	sys := actors.NewSystem()
	e := &env{sys: sys, hub: make(chan any, 64), counters: &session.Counters{}}
	hubPID := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &standIn{got: e.hub} }))
	ready := make(chan struct{})
	e.pipe = &pipe{out: session.NewOutbox(8, 1<<20)}
	e.pipe.done = func() { <-ready; sys.Root.Send(e.pid, &session.TransportDone{}) }
	cfg := session.Config{Hub: hubPID, Counters: e.counters}
	e.pid = sys.Root.Spawn(session.Props(cfg, session.Identity{UserID: "me", Credential: cred}, e.pipe))
	close(ready)
	t.Cleanup(func() {
		_ = sys.Root.StopFuture(e.pid).Wait()
		_ = sys.Root.StopFuture(hubPID).Wait()
		sys.Shutdown()
	})
	require.IsType(t, &session.Register{}, e.next(t))
	return e
}

func refreshFrame(token, ref string) *session.Received {
	return &session.Received{Data: []byte(`{"type":"refresh","content":"` + token + `","msg_id":"` + ref + `"}`)}
}

// TestExpiredTokenIsAskedForThenClosed4001: at the token's expiry the
// session writes a refresh frame naming its deadline, and closes with 4001
// when the deadline passes without a new token.
func TestExpiredTokenIsAskedForThenClosed4001(t *testing.T) {
	start := time.Now()
	e := newCredEnv(t, &session.Credential{Expires: start.Add(50 * time.Millisecond), Grace: 80 * time.Millisecond,
		Renew: func(string) (time.Time, error) { return time.Time{}, errors.New("never") }})
	m := e.written(t)
	require.Equal(t, protocol.TypeRefresh, m.Type)
	deadline, err := time.Parse(time.RFC3339Nano, m.Data["deadline"].(string))
	require.NoError(t, err)
	assert.False(t, deadline.Before(start.Add(130*time.Millisecond)), "expiry plus grace, at the earliest")
	e.closedWith(t, protocol.CloseTokenExpired)
	assert.False(t, time.Now().Before(deadline), "not closed before the deadline")
	assert.Equal(t, protocol.CloseTokenExpired, e.next(t).(*session.Gone).Code)
}

// TestRenewedTokenMovesTheExpiry: a refresh frame whose token Renew accepts
// moves the expiry; the old one passes without a refresh frame or a close.
func TestRenewedTokenMovesTheExpiry(t *testing.T) {
	// The renewal must come before the first expiry: a second leaves a
	// loaded machine room for that.
	renewed := make(chan string, 1)
	e := newCredEnv(t, &session.Credential{Expires: time.Now().Add(time.Second), Grace: 50 * time.Millisecond,
		Renew: func(tok string) (time.Time, error) { renewed <- tok; return time.Now().Add(time.Hour), nil }})
	e.sys.Root.Send(e.pid, refreshFrame("fresh", "r1"))
	assert.Equal(t, "fresh", <-renewed)
	<-time.After(1200 * time.Millisecond) // past the first expiry and its grace
	e.sys.Root.Send(e.pid, &session.Received{Data: []byte(`{"type":"ping"}`)})
	assert.Equal(t, protocol.TypePong, e.written(t).Type, "no refresh frame came first")
	assert.Zero(t, e.pipe.closed.Load(), "still open")
}

// TestRefusedRenewalChangesNothing: a token Renew refuses gets a 4001 error
// frame naming the refresh frame, and the close comes at the old deadline.
func TestRefusedRenewalChangesNothing(t *testing.T) {
	e := newCredEnv(t, &session.Credential{Expires: time.Now().Add(40 * time.Millisecond), Grace: time.Second,
		Renew: func(string) (time.Time, error) {
			return time.Time{}, errors.New("wsc: the new token is for another user")
		}})
	assert.Equal(t, protocol.TypeRefresh, e.written(t).Type)
	e.sys.Root.Send(e.pid, refreshFrame("someone-elses", "r2"))
	m := e.written(t)
	assert.Equal(t, protocol.CodeForbidden, m.Code)
	assert.Equal(t, "r2", m.MessageID)
	e.closedWith(t, protocol.CloseTokenExpired)
}

// TestRefreshWithoutCredentialIsInvalid: a connection opened without a
// token has nothing to renew: 4000, and no close.
func TestRefreshWithoutCredentialIsInvalid(t *testing.T) {
	e := newCredEnv(t, nil)
	e.sys.Root.Send(e.pid, refreshFrame("x", "r3"))
	m := e.written(t)
	assert.Equal(t, protocol.CodeInvalidFrame, m.Code)
	assert.Contains(t, m.Content, session.ErrNoCredential.Error())
	assert.Zero(t, e.pipe.closed.Load())
}
