package ws_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The write deadline is re-armed only when less than WriteWait is left of
// it, not for every write: a connection that keeps reading gets every message
// long after the first deadline would have passed (seven WriteWaits here),
// each write still finding WriteWait ahead. (A stuck reader is still cut by
// the deadline: TestBacklogReaderThatStopsKeepsTheRest.)
func TestWriteDeadlineFollowsAHealthyConnection(t *testing.T) {
	const wait = 100 * time.Millisecond
	e := newEnv(t, hub.Config{}, ws.Options{WriteWait: wait})
	c := e.dial(t, "user_id=steady")
	e.waitConns(t, 1)
	start := time.Now()
	tick := time.NewTicker(wait / 4)
	defer tick.Stop()
	for i := 0; time.Since(start) < 7*wait; i++ {
		<-tick.C // paced: the writer goes idle between messages, its deadline running out
		require.NoError(t, e.hub.SendToUser(ctx(t), "steady", &protocol.Message{Content: strconv.Itoa(i)}))
		require.Equal(t, strconv.Itoa(i), read(t, c).Content, "message %d, %v after the first", i, time.Since(start))
	}
	s, err := e.hub.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, 1, s.Connections, "still open")
}
