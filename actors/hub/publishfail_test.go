package hub_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refusingBus is a node's bus on a memNet whose publishes of messages for
// users fail while refuse is set (the bus is down for them: NATS gone, or a
// full buffer).
type refusingBus struct {
	*memBus
	refuse atomic.Bool
}

func (b *refusingBus) Publish(m *hub.BusMessage) error {
	if m.Kind == hub.BusUser && b.refuse.Load() {
		return errors.New("bus down")
	}
	return b.memBus.Publish(m)
}

// startNode starts a hub on bus, stopped when the test ends.
func startNode(t *testing.T, cfg hub.Config) *hub.Hub {
	t.Helper()
	sys := actors.NewSystem()
	h, err := hub.New(sys, cfg)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		require.NoError(t, h.Shutdown(ctx))
		sys.Shutdown()
	})
	return h
}

// A message for a user connected only on another node, whose publish fails,
// is kept in the sending node's offline store (counted as a publish error);
// one that needs an ack is left to the tracker, which sends it again once the
// bus works; one that a connection here took is not stored as well.
func TestAFailedPublishKeepsTheMessage(t *testing.T) {
	net := newMemNet()
	t.Cleanup(net.close) // after both hubs' cleanups
	bus := &refusingBus{memBus: net.bus()}
	n1 := startNode(t, hub.Config{NodeID: "n1", Bus: bus, ClusterHeartbeat: beat, AckTimeout: 50 * time.Millisecond, MaxRetry: 5})
	n2 := startNode(t, hub.Config{NodeID: "n2", Bus: net.bus(), ClusterHeartbeat: beat})
	ctx := context.Background()
	there := newMem(16)
	connect(n2, session.Identity{UserID: "ann"}, there)
	sees(t, n1, "ann", true)
	bus.refuse.Store(true)

	m := &protocol.Message{ID: n1.NewID(), Content: "kept"}
	require.NoError(t, n1.SendToUser(ctx, "ann", m))
	stored, err := n1.OfflineMessages(ctx, "ann")
	require.NoError(t, err)
	assert.Equal(t, []string{"kept"}, contentsOf(stored), "stored on n1")
	s, err := n1.Stats(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, s.BusPublishErrors)

	// ann also here: her first connection here gets what n1 kept; a message
	// it takes while the bus is down is not stored as well
	here := newMem(16)
	connect(n1, session.Identity{UserID: "ann"}, here)
	assert.Equal(t, "kept", here.next(t).Msg.Content)
	require.NoError(t, n1.SendToUser(ctx, "ann", &protocol.Message{Content: "here"}))
	assert.Equal(t, "here", here.next(t).Msg.Content)
	stored, err = n1.OfflineMessages(ctx, "ann")
	require.NoError(t, err)
	assert.Empty(t, contentsOf(stored), "not stored as well")
	here.Close(protocol.CloseGoingAway, "")
	online(t, n1, 0)

	// with an ack: not stored, resent by the tracker once the bus is back
	acked := &protocol.Message{ID: n1.NewID(), Content: "acked", RequireAck: true}
	require.NoError(t, n1.SendToUser(ctx, "ann", acked))
	stored, err = n1.OfflineMessages(ctx, "ann")
	require.NoError(t, err)
	assert.Empty(t, contentsOf(stored), "the acked one is the tracker's")
	bus.refuse.Store(false)
	assert.Equal(t, "acked", there.next(t).Msg.Content, "resent once the bus works")
}
