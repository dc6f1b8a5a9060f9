package hub_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// failingWatch is a node's bus on a memNet whose subscriptions to one user's
// messages fail while refuse is set; ok counts those that succeeded.
type failingWatch struct {
	*memBus
	user   string
	refuse atomic.Bool
	ok     atomic.Int32
}

func (b *failingWatch) Watch(s hub.Scope, key string) error {
	if s == hub.ScopeUser && key == b.user {
		if b.refuse.Load() {
			return errors.New("subscribe refused")
		}
		defer b.ok.Add(1)
	}
	return b.memBus.Watch(s, key)
}

// A subscription the bus refuses is counted and tried again at the next
// heartbeat, until it holds; then the user's messages from other nodes reach
// it. One that succeeds is not counted.
func TestARefusedSubscriptionIsRetriedUntilItHolds(t *testing.T) {
	net := newMemNet()
	t.Cleanup(net.close) // after both hubs' cleanups
	bus := &failingWatch{memBus: net.bus(), user: "ann"}
	bus.refuse.Store(true)
	n1 := startNode(t, hub.Config{NodeID: "n1", Bus: net.bus(), ClusterHeartbeat: beat})
	n2 := startNode(t, hub.Config{NodeID: "n2", Bus: bus, ClusterHeartbeat: beat})
	ctx := context.Background()

	bob := newMem(8)
	connect(n2, session.Identity{UserID: "bob"}, bob)
	ann := newMem(8)
	connect(n2, session.Identity{UserID: "ann"}, ann)
	sees(t, n1, "ann", true)
	require.Eventually(t, func() bool {
		s, err := n2.Stats(ctx)
		return err == nil && s.BusSubscribeErrors >= 2 // refused, then refused again at a heartbeat
	}, 5*time.Second, time.Millisecond)
	assert.Zero(t, bus.ok.Load())

	bus.refuse.Store(false)
	require.Eventually(t, func() bool { return bus.ok.Load() == 1 }, 5*time.Second, time.Millisecond, "tried again")
	s, err := n2.Stats(ctx)
	require.NoError(t, err)
	errs := s.BusSubscribeErrors
	require.NoError(t, n1.SendToUser(ctx, "ann", &protocol.Message{Content: "through"}))
	assert.Equal(t, "through", ann.next(t).Msg.Content)
	require.NoError(t, n1.SendToUser(ctx, "bob", &protocol.Message{Content: "bob too"}))
	assert.Equal(t, "bob too", bob.next(t).Msg.Content)
	s, err = n2.Stats(ctx)
	require.NoError(t, err)
	assert.Equal(t, errs, s.BusSubscribeErrors, "no error counted once it holds")
	assert.EqualValues(t, 1, bus.ok.Load(), "not subscribed again once it holds")
}
