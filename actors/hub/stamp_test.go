package hub_test

import (
	"context"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The hub fills in what a sender left out of a message (id, time, sender,
// priority) and keeps what it set.
func TestTheHubKeepsWhatTheSenderSet(t *testing.T) {
	h := newHub(t, hub.Config{})
	tr := newMem(8)
	connect(h, session.Identity{UserID: "r"}, tr)
	online(t, h, 1)
	ctx := context.Background()

	at := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	require.NoError(t, h.SendToUser(ctx, "r", &protocol.Message{ID: "given", CreateAt: at, From: "ann",
		Priority: protocol.PriorityHigh, Content: "set"}))
	m := tr.next(t).Msg
	assert.Equal(t, "given", m.ID)
	assert.True(t, at.Equal(m.CreateAt), "create_at %v", m.CreateAt)
	assert.Equal(t, "ann", m.From)
	assert.Equal(t, protocol.PriorityHigh, m.Priority)

	require.NoError(t, h.SendToUser(ctx, "r", &protocol.Message{Content: "bare"}))
	m = tr.next(t).Msg
	assert.NotEmpty(t, m.ID)
	assert.False(t, m.CreateAt.IsZero())
	assert.Equal(t, "system", m.From)
	assert.Equal(t, protocol.PriorityNormal, m.Priority)
}

// sseMem is a memTransport that says it is an SSE stream.
type sseMem struct{ *memTransport }

func (sseMem) Kind() session.Kind { return session.KindSSE }

// Stats counts connections of each kind, and all of them together.
func TestStatsCountsConnectionsOfEachKind(t *testing.T) {
	h := newHub(t, hub.Config{})
	for i, id := range []string{"a", "b", "c"} {
		tr := newMem(4)
		if i == 0 {
			connect(h, session.Identity{UserID: id}, tr)
			continue
		}
		s := sseMem{tr}
		tr.ready = make(chan struct{})
		tr.root = h.System().Root
		tr.pid = tr.root.Spawn(session.Props(h.SessionConfig(), session.Identity{UserID: id}, s))
		close(tr.ready)
	}
	online(t, h, 3)
	s, err := h.Stats(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, s.WSConnections)
	assert.Equal(t, 2, s.SSEConnections)
	assert.Equal(t, 3, s.Connections)
}
