package hub_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// beat is the cluster heartbeat of these tests; a node silent for three is
// dead. It leaves a loaded machine's late heartbeats room: a live node taken
// for dead mid-test loses its users on the other (the NATS tests saw it at
// 100 ms under load 20; this was 30).
const beat = 100 * time.Millisecond

// twoNodes starts hubs n1 and n2 on one memNet.
func twoNodes(t *testing.T) (*memNet, *hub.Hub, *hub.Hub) {
	net := newMemNet()
	start := func(name string) *hub.Hub {
		sys := actors.NewSystem()
		h, err := hub.New(sys, hub.Config{NodeID: name, Bus: net.bus(), ClusterHeartbeat: beat})
		require.NoError(t, err)
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			require.NoError(t, h.Shutdown(ctx))
			sys.Shutdown()
		})
		return h
	}
	t.Cleanup(net.close) // runs after both hubs' cleanups
	return net, start("n1"), start("n2")
}

func sees(t *testing.T, h *hub.Hub, user string, want bool) {
	t.Helper()
	require.Eventually(t, func() bool {
		users, err := h.OnlineUsers(context.Background())
		return err == nil && slices.Contains(users, user) == want
	}, 5*time.Second, time.Millisecond, "%s online: want %v", user, want)
}

// A user on n2 is seen on n1 and gets n1's messages there.
func TestClusterRoutesToAUserOnAnotherNode(t *testing.T) {
	_, n1, n2 := twoNodes(t)
	tr := newMem(8)
	connect(n2, session.Identity{UserID: "ann"}, tr)
	sees(t, n1, "ann", true)
	require.NoError(t, n1.SendToUser(context.Background(), "ann", &protocol.Message{Content: "from n1"}))
	assert.Equal(t, "from n1", tr.next(t).Msg.Content)
	nodes, err := n1.WhereIs(context.Background(), "ann")
	require.NoError(t, err)
	assert.Equal(t, []string{"n2"}, nodes)
}

// n1 misses every presence delta of n2: it learns who is there from n2's
// heartbeat (the full list) all the same, both ways.
func TestClusterConvergesWithoutDeltas(t *testing.T) {
	net, n1, n2 := twoNodes(t)
	net.lose("n2", func(m *hub.BusMessage) bool { return m.Kind == hub.BusPresence && !m.Full })
	tr := newMem(8)
	connect(n2, session.Identity{UserID: "bob"}, tr)
	sees(t, n1, "bob", true)
	tr.root.Send(tr.pid, &session.TransportDone{}) // bob leaves; the delta is lost too
	sees(t, n1, "bob", false)
	s, err := n1.Stats(context.Background())
	require.NoError(t, err)
	assert.Positive(t, s.RosterAsks, "n2's digest disagreed: n1 asked for its list")
}

// The heartbeat is a digest: its size does not grow with the users.
func TestClusterHeartbeatDoesNotGrowWithUsers(t *testing.T) {
	net, n1, n2 := twoNodes(t)
	for i := range 300 {
		connect(n2, session.Identity{UserID: fmt.Sprint("user-with-a-long-enough-name-", i)}, newMem(4))
	}
	require.Eventually(t, func() bool { u, _ := n1.OnlineUsers(context.Background()); return len(u) == 300 }, 10*time.Second, 5*time.Millisecond)
	require.Eventually(t, func() bool { _, users := net.largestDigest(); return users == 300 }, 5*time.Second, beat,
		"a heartbeat of n2 with its 300 users")
	size, _ := net.largestDigest()
	assert.Less(t, size, 200, "bytes in one heartbeat")
}

// n2 goes silent (dead, with no goodbye): n1 drops its users after three
// heartbeats, and a message for them goes to n1's offline store.
func TestClusterDropsASilentNode(t *testing.T) {
	net, n1, n2 := twoNodes(t)
	tr := newMem(8)
	connect(n2, session.Identity{UserID: "cy"}, tr)
	sees(t, n1, "cy", true)
	net.lose("n2", func(*hub.BusMessage) bool { return true })
	sees(t, n1, "cy", false)
	require.ErrorIs(t, n1.SendToUser(context.Background(), "cy", &protocol.Message{Content: "later"}), hub.ErrUserOffline)
	kept, err := n1.OfflineMessages(context.Background(), "cy")
	require.NoError(t, err)
	assert.Len(t, kept, 1)
}
