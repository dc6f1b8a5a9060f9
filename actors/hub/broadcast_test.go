package hub_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A broadcast reaches every routable connection once and no connection that
// has left routing: the hub keeps them in a flat list (routed) from which
// unroute removes one by moving the last into its place, so the removals here
// come in the order that would expose a stale index (u2, whose slot u7 takes,
// then u7), plus a replaced connection of a user with two.
func TestBroadcastReachesExactlyTheRoutableConnections(t *testing.T) {
	h := newHub(t, hub.Config{})
	ctx := context.Background()
	counting := func(user, connID string) *memTransport {
		tr := &memTransport{count: new(atomic.Int64)}
		connect(h, session.Identity{UserID: user, ConnID: connID}, tr)
		return tr
	}
	users := map[string]*memTransport{}
	for i := range 8 {
		u := fmt.Sprint("u", i)
		users[u] = counting(u, "")
	}
	a, b := counting("multi", "a"), counting("multi", "b")
	waitConns := func(n int) {
		require.Eventually(t, func() bool { s, _ := h.Stats(ctx); return s.Connections == n }, 5*time.Second, time.Millisecond)
	}
	waitConns(10)

	for _, u := range []string{"u2", "u7"} {
		n, err := h.DisconnectUser(ctx, u, 0)
		require.NoError(t, err)
		require.Equal(t, 1, n)
	}
	a2 := counting("multi", "a") // replaces a (3000)
	require.Eventually(t, func() bool { return a.closed.Load() == int32(protocol.CloseReplaced)+1 }, 5*time.Second, time.Millisecond)
	waitConns(8)

	require.NoError(t, h.Broadcast(ctx, &protocol.Message{Content: "all"}))
	// the hub answers after queuing on every connection: the counts are final
	for u, tr := range users {
		want := int64(1)
		if u == "u2" || u == "u7" {
			want = 0
		}
		assert.Equal(t, want, tr.count.Load(), u)
	}
	assert.Equal(t, int64(0), a.count.Load(), "the replaced connection")
	assert.Equal(t, int64(1), a2.count.Load(), "its replacement")
	assert.Equal(t, int64(1), b.count.Load(), "the user's other connection")
}
