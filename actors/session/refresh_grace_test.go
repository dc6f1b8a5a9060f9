package session_test

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
)

// renewer accepts the token "good" (for d more) and refuses anything else.
func renewer(d time.Duration, renewed *atomic.Int32) func(string) (time.Time, error) {
	return func(token string) (time.Time, error) {
		if token != "good" {
			return time.Time{}, errors.New("bad token")
		}
		renewed.Add(1)
		return time.Now().Add(d), nil
	}
}

// A token renewed after the ask, within the grace period, cancels the close
// that was due: the next thing is another ask, at the new expiry.
func TestARenewalAfterTheAskCancelsTheClose(t *testing.T) {
	var renewed atomic.Int32
	e := newCredEnv(t, &session.Credential{Expires: time.Now().Add(20 * time.Millisecond), Grace: time.Hour,
		Renew: renewer(20*time.Millisecond, &renewed)})
	assert.Equal(t, protocol.TypeRefresh, e.written(t).Type)
	e.sys.Root.Send(e.pid, refreshFrame("bad", "b"))
	assert.Equal(t, protocol.CodeForbidden, e.written(t).Code)
	e.sys.Root.Send(e.pid, refreshFrame("good", "g"))
	assert.Equal(t, protocol.TypeRefresh, e.written(t).Type, "asked again at the new expiry")
	assert.EqualValues(t, 1, renewed.Load())
	assert.Zero(t, e.pipe.closed.Load(), "closed")
}

// Grace zero is the default (30 s), not none: a token renewed right after the
// ask keeps the connection.
func TestZeroGraceIsTheDefault(t *testing.T) {
	var renewed atomic.Int32
	e := newCredEnv(t, &session.Credential{Expires: time.Now(), Renew: renewer(20*time.Millisecond, &renewed)})
	assert.Equal(t, protocol.TypeRefresh, e.written(t).Type)
	e.sys.Root.Send(e.pid, refreshFrame("good", "g"))
	assert.Equal(t, protocol.TypeRefresh, e.written(t).Type, "asked again at the new expiry")
	assert.Zero(t, e.pipe.closed.Load(), "closed")
}
