package hub_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func contentsOf(ms []*protocol.Message) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, m.Content)
	}
	return out
}

// A connection that goes with frames unwritten: its ticket messages go to
// the offline path like its own; a broadcast, for the connections of the
// moment, is only counted.
func TestUnwrittenTicketFramesAreKeptAndBroadcastsCounted(t *testing.T) {
	h := newHub(t, hub.Config{})
	ctx := context.Background()
	require.NoError(t, h.JoinTicket(ctx, "T", "m"))
	tr := newMem(8)
	connect(h, session.Identity{UserID: "m"}, tr)
	online(t, h, 1)
	require.NoError(t, h.SendToTicket(ctx, "T", &protocol.Message{Content: "t0"}))
	require.NoError(t, h.Broadcast(ctx, &protocol.Message{Content: "all"}))
	require.NoError(t, h.SendToTicket(ctx, "T", &protocol.Message{Content: "t1"}))
	require.NoError(t, h.SendToUser(ctx, "m", &protocol.Message{Content: "u0"}))
	tr.root.Send(tr.pid, &session.TransportDone{}) // nothing was written
	require.Eventually(t, func() bool { s, _ := h.Stats(ctx); return s.BroadcastUnsent == 1 }, 5*time.Second, time.Millisecond)
	kept, err := h.OfflineMessages(ctx, "m")
	require.NoError(t, err)
	assert.Equal(t, []string{"t0", "t1", "u0"}, contentsOf(kept))
}

// A user keeps another connection while one goes: a frame routed to both is
// left to the other one (it has the same frame), but a message the gone
// connection had taken from the offline store, for itself alone, goes back
// there, and so does the rest of its backlog.
func TestStoredFramesGoBackWhenTheUserStaysOnline(t *testing.T) {
	h := newHub(t, hub.Config{})
	ctx := context.Background()
	var want []string
	for i := range 5 {
		c := fmt.Sprint("s", i)
		require.ErrorIs(t, h.SendToUser(ctx, "two", &protocol.Message{Content: c}), hub.ErrUserOffline)
		want = append(want, c)
	}
	a := newMem(2) // takes s0 s1 from the store; s2..s4 wait in its backlog
	connect(h, session.Identity{UserID: "two", ConnID: "a"}, a)
	online(t, h, 1)
	b := newMem(8)
	connect(h, session.Identity{UserID: "two", ConnID: "b"}, b)
	online(t, h, 2)
	require.NoError(t, h.SendToUser(ctx, "two", &protocol.Message{Content: "live"}))
	assert.Equal(t, "live", b.next(t).Msg.Content)

	a.root.Send(a.pid, &session.TransportDone{}) // a goes, having written nothing
	online(t, h, 1)
	require.Eventually(t, func() bool { s, _ := h.Stats(ctx); return s.OfflineStored == len(want) }, 5*time.Second, time.Millisecond)
	kept, err := h.OfflineMessages(ctx, "two")
	require.NoError(t, err)
	assert.ElementsMatch(t, want, contentsOf(kept), "the stored ones, not the live one b has")
	assert.Equal(t, want, contentsOf(kept), "in order")
}
