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

// Live frames for a connection that still has a backlog queue behind it, up
// to MessageBufferSize of them; one more makes it a slow consumer. Once it is
// gone, everything is back in the store, in order: what its outbox held, the
// rest of the backlog, the live frames behind it, the refused one.
func TestFramesBehindABacklogAreBoundedAndKept(t *testing.T) {
	const stored, buffer = 10, 4
	h := newHub(t, hub.Config{MessageBufferSize: buffer})
	ctx := context.Background()
	var want []string
	for i := range stored {
		c := fmt.Sprint("s", i)
		require.ErrorIs(t, h.SendToUser(ctx, "b", &protocol.Message{Content: c}), hub.ErrUserOffline)
		want = append(want, c)
	}
	tr := newMem(2) // takes two of the backlog; nobody reads
	connect(h, session.Identity{UserID: "b"}, tr)
	online(t, h, 1)
	for i := range buffer {
		c := fmt.Sprint("l", i)
		require.NoError(t, h.SendToUser(ctx, "b", &protocol.Message{Content: c}))
		want = append(want, c)
	}
	s, err := h.Stats(ctx)
	require.NoError(t, err)
	require.Zero(t, s.SlowConsumerCloses, "behind the backlog, within the bound")
	assert.Equal(t, 2, tr.out.Len(), "the outbox holds what it took, no more")

	require.NoError(t, h.SendToUser(ctx, "b", &protocol.Message{Content: "over"}))
	want = append(want, "over")
	s, err = h.Stats(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, s.SlowConsumerCloses, "one past the bound")
	require.Eventually(t, func() bool { return tr.closed.Load() == int32(protocol.CloseSlowConsumer)+1 }, 5*time.Second, time.Millisecond)
	require.Eventually(t, func() bool { s, _ := h.Stats(ctx); return s.OfflineStored == len(want) }, 5*time.Second, time.Millisecond)
	kept, err := h.OfflineMessages(ctx, "b")
	require.NoError(t, err)
	got := contentsOf(kept)
	assert.ElementsMatch(t, want, got, "every one, once")
	assert.Equal(t, want, got, "in order")
}

// A backlog follows as the writer drains: the connection gets every stored
// message in order, then the live ones, while its outbox never holds more
// than it can.
func TestBacklogFollowsTheWriter(t *testing.T) {
	const stored = 50
	h := newHub(t, hub.Config{MessageBufferSize: 8})
	ctx := context.Background()
	for i := range stored {
		require.ErrorIs(t, h.SendToUser(ctx, "f", &protocol.Message{Content: fmt.Sprint(i)}), hub.ErrUserOffline)
	}
	tr := newMem(4)
	connect(h, session.Identity{UserID: "f"}, tr)
	online(t, h, 1)
	require.NoError(t, h.SendToUser(ctx, "f", &protocol.Message{Content: "live"}))
	for i := range stored {
		f := tr.next(t)
		require.Equal(t, fmt.Sprint(i), f.Msg.Content)
		assert.True(t, f.Stored, "a stored message's frame says so")
	}
	f := tr.next(t)
	assert.Equal(t, "live", f.Msg.Content)
	assert.False(t, f.Stored)
	s, err := h.Stats(ctx)
	require.NoError(t, err)
	assert.Zero(t, s.OfflineStored)
	assert.Zero(t, s.SlowConsumerCloses)
}

// The bound on frames behind a backlog counts only those still waiting: as the
// writer drains them, room comes back for new live frames.
func TestRoomBehindABacklogComesBackAsItDrains(t *testing.T) {
	const buffer = 4
	h := newHub(t, hub.Config{MessageBufferSize: buffer})
	ctx := context.Background()
	for i := range 3 {
		require.ErrorIs(t, h.SendToUser(ctx, "r", &protocol.Message{Content: fmt.Sprint("s", i)}), hub.ErrUserOffline)
	}
	tr := newMem(2) // s0 s1 in the outbox, s2 in the backlog
	connect(h, session.Identity{UserID: "r"}, tr)
	online(t, h, 1)
	want := []string{"s0", "s1", "s2"}
	for i := range buffer { // behind s2: the bound is reached
		c := fmt.Sprint("l", i)
		require.NoError(t, h.SendToUser(ctx, "r", &protocol.Message{Content: c}))
		want = append(want, c)
	}
	assert.Equal(t, "s0", tr.next(t).Msg.Content)
	assert.Equal(t, "s1", tr.next(t).Msg.Content)
	// the writer made room: s2 and l0 move to the outbox, three wait behind
	require.Eventually(t, func() bool { return tr.out.Len() == 2 }, 5*time.Second, time.Millisecond)
	require.NoError(t, h.SendToUser(ctx, "r", &protocol.Message{Content: "l4"}))
	want = append(want, "l4")
	s, err := h.Stats(ctx)
	require.NoError(t, err)
	assert.Zero(t, s.SlowConsumerCloses, "l0 left the backlog: room for l4")
	for _, c := range want[2:] {
		assert.Equal(t, c, tr.next(t).Msg.Content)
	}
}
