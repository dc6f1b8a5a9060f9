package session_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func cpuTime(t *testing.T) time.Duration {
	var ru syscall.Rusage
	require.NoError(t, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// A silent connection with only one of its timers on costs no CPU: the timer
// is armed for what is on (a keepalive, or the idle close), never for a
// deadline that is off, which would fire at once, again and again.
func TestASilentSessionDoesNotSpin(t *testing.T) {
	for name, cfg := range map[string]session.Config{
		"keepalives off": {ClientTimeout: time.Hour},
		"idle close off": {HeartbeatInterval: time.Hour},
	} {
		t.Run(name, func(t *testing.T) {
			e, b := newBeatsEnv(t, cfg)
			before := cpuTime(t)
			<-time.After(200 * time.Millisecond) // the test's input: 200 ms of silence
			used := cpuTime(t) - before
			t.Logf("%v of CPU over 200 ms of silence", used)
			assert.Less(t, used, 60*time.Millisecond, "CPU over 200 ms of silence")
			assert.Zero(t, b.n.Load(), "keepalives")
			assert.Zero(t, e.pipe.closed.Load(), "closed")
		})
	}
}
