package ws

import (
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deadlineConn records the write deadlines set on it.
type deadlineConn struct {
	net.Conn // nil: only SetWriteDeadline is called
	set      []time.Time
}

func (c *deadlineConn) SetWriteDeadline(d time.Time) error {
	c.set = append(c.set, d)
	return nil
}

// The write deadline is set to now + 1½ WriteWait, and set again only once
// less than WriteWait is left of it: every write has WriteWait at least
// before it fails, and a busy connection sets it once per half WriteWait
// instead of before every write (setting it is a runtime timer operation).
func TestTheWriteDeadlineIsReArmedOnlyWhenLessThanWriteWaitIsLeft(t *testing.T) {
	const wait = 10 * time.Second
	nc := &deadlineConn{}
	tr := &transport{h: &Server{opts: Options{WriteWait: wait}.withDefaults()}, nc: nc}
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

	require.NoError(t, tr.armDeadline(start))
	require.Len(t, nc.set, 1)
	assert.Equal(t, start.Add(wait+wait/2), nc.set[0], "the first write: now + 1½ WriteWait")

	require.NoError(t, tr.armDeadline(start.Add(wait/4)))
	require.NoError(t, tr.armDeadline(start.Add(wait/2)), "exactly WriteWait left: enough")
	assert.Len(t, nc.set, 1, "WriteWait or more left: the deadline stays")

	later := start.Add(wait/2 + time.Millisecond)
	require.NoError(t, tr.armDeadline(later))
	require.Len(t, nc.set, 2, "less than WriteWait left: re-armed")
	assert.Equal(t, later.Add(wait+wait/2), nc.set[1])
	require.NoError(t, tr.armDeadline(later.Add(wait/2)))
	assert.Len(t, nc.set, 2, "the new deadline is the one remembered")
}
