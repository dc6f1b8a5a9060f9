package ack_test

import (
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/ack"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A zero Config waits its documented default, 5 s, for the first ack (not
// MaxBackoff's minute). The hub always passes its own timeout; this holds the
// tracker to its doc. It waits 5 s, in parallel with the other tests.
func TestZeroConfigWaitsFiveSeconds(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ack.Config{})
	e.sys.Root.Send(e.tracker, &ack.Track{Msg: msg("z"), UserID: "u"})
	select {
	case ev := <-e.events:
		at := time.Since(e.start)
		require.IsType(t, &ack.Resend{}, ev)
		assert.GreaterOrEqual(t, at, 5*time.Second)
		assert.Less(t, at, 30*time.Second)
	case <-time.After(30 * time.Second):
		t.Fatal("no resend within 30 s: the default is not 5 s")
	}
}
