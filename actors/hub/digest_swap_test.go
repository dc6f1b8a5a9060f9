package hub_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/stretchr/testify/require"
)

// n1 misses the deltas of a swap on n2 (ann leaves, bob comes): the number of
// n2's users is the same, only the digest's hash of who they are differs,
// and that is enough for n1 to ask for n2's list and see bob, not ann.
func TestADigestTellsWhoNotOnlyHowMany(t *testing.T) {
	net, n1, n2 := twoNodes(t)
	ann := newMem(8)
	connect(n2, session.Identity{UserID: "ann"}, ann)
	sees(t, n1, "ann", true)

	// the swap happens while n2's deltas and heartbeats are lost, so that no
	// heartbeat of n2 ever counts other than one user
	net.lose("n2", func(m *hub.BusMessage) bool {
		return m.Kind == hub.BusDigest || (m.Kind == hub.BusPresence && !m.Full)
	})
	ann.root.Send(ann.pid, &session.TransportDone{})
	sees(t, n2, "ann", false)
	connect(n2, session.Identity{UserID: "bob"}, newMem(8))
	require.Eventually(t, func() bool {
		users, err := n2.OnlineUsers(context.Background())
		return err == nil && slices.Equal(users, []string{"bob"})
	}, 5*time.Second, time.Millisecond)
	net.lose("n2", func(m *hub.BusMessage) bool { return m.Kind == hub.BusPresence && !m.Full })

	sees(t, n1, "bob", true)
	sees(t, n1, "ann", false)
}
