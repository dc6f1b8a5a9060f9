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

// The last page of a backlog can leave the outbox nearly full. Live messages
// sent then keep queuing behind (bounded) until the writer has drained the
// outbox to half, instead of meeting a full outbox: a burst right after a
// large backlog does not close a client that reads (3002). Seen in
// transport/sse's backlog test under load: 50 live messages sent right after
// 1,000 stored ones closed the stream.
func TestABurstAfterTheBacklogWaitsForTheWriter(t *testing.T) {
	const stored, live, outbox = 10, 5, 8
	h := newHub(t, hub.Config{MessageBufferSize: outbox})
	ctx := context.Background()
	for i := range stored {
		require.ErrorIs(t, h.SendToUser(ctx, "r", &protocol.Message{Content: fmt.Sprint(i)}), hub.ErrUserOffline)
	}
	tr := newMem(outbox)
	connect(h, session.Identity{UserID: "r"}, tr)
	online(t, h, 1)
	require.Eventually(t, func() bool { return tr.Queued() == outbox }, 5*time.Second, time.Millisecond, "the first frames fill the outbox")
	for i := range outbox / 2 { // the writer makes room: the rest of the backlog follows
		require.Equal(t, fmt.Sprint(i), tr.next(t).Msg.Content)
	}
	require.Eventually(t, func() bool { return tr.Queued() == outbox/2+stored-outbox }, 5*time.Second, time.Millisecond,
		"the backlog's tail is in the outbox, which is over half full")
	for i := stored; i < stored+live; i++ { // more than the outbox has left
		require.NoError(t, h.SendToUser(ctx, "r", &protocol.Message{Content: fmt.Sprint(i)}))
	}
	for i := outbox / 2; i < stored+live; i++ {
		require.Equal(t, fmt.Sprint(i), tr.next(t).Msg.Content, "stored first, then live, in order")
	}
	s, err := h.Stats(ctx)
	require.NoError(t, err)
	assert.Zero(t, s.SlowConsumerCloses)
	assert.Zero(t, tr.closed.Load(), "closed (code+1)")
}
