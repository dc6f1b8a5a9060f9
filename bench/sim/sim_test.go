package sim

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	wscnats "github.com/go-wsc/go-wsc/transport/nats"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSmallRunLosesNothing: 5 nodes × 500 users (4 at the start, one joins,
// one dies mid-traffic and its users reconnect to the others): every p2p and
// ticket copy sent is written by a connection or sits in a live node's
// offline store. (Broken by hand once: without expireForwards' hand-off to
// the offline path, copies forwarded to the dying node are lost and this
// fails.)
func TestSmallRunLosesNothing(t *testing.T) {
	r, err := Run(context.Background(), Config{Nodes: 5, UsersPerNode: 500, Heartbeat: 300 * time.Millisecond,
		P2PRate: 200, TicketRate: 20, BroadcastEvery: 500 * time.Millisecond, Steady: 500 * time.Millisecond, Log: tlog{t}})
	require.NoError(t, err)
	var b strings.Builder
	r.Print(&b)
	t.Log("\n" + b.String())
	assert.Zero(t, r.Lost, "lost copies, e.g. %v", r.LostExamples)
	assert.Positive(t, r.Owed)
	assert.Positive(t, r.Written)
	assert.Positive(t, r.BroadcastCopies)
	assert.Positive(t, len(r.CrossLatency), "cross-node copies in the steady window")
	assert.Equal(t, 500, r.Moved, "the dead node's users reconnected elsewhere")
	assert.Len(t, r.Steady, 4, "bus counters of every node up in the steady window")
	for _, n := range r.Steady {
		assert.Positive(t, n.PubBytes, n.Node)
		assert.Positive(t, n.RecvBytes, n.Node)
	}
	assert.Less(t, r.DigestBytes, 120, "a heartbeat does not grow with the users")
	assert.Greater(t, r.RosterBytes, 500*8, "a full list does")
}

type tlog struct{ t *testing.T }

func (l tlog) Write(p []byte) (int, error) { l.t.Log(strings.TrimSpace(string(p))); return len(p), nil }

// deafBus passes a node everything but presence deltas: it misses every
// user's coming and going and has only the other nodes' digests to go by.
type deafBus struct {
	hub.Bus
	dropped atomic.Int64
}

func (d *deafBus) Start(node string, in func(*hub.BusMessage)) error {
	return d.Bus.Start(node, func(m *hub.BusMessage) {
		if m.Kind == hub.BusPresence && !m.Full {
			d.dropped.Add(1)
			return
		}
		in(m)
	})
}

// TestANodeThatMissesDeltasConverges, over real NATS: n2 hears none of n1's
// presence deltas; n1's digest disagrees with n2's view, n2 asks for the
// roster, and its view is repaired both ways (users that came, users that
// went).
func TestANodeThatMissesDeltasConverges(t *testing.T) {
	ctx := context.Background()
	cfg, err := Config{Nodes: 2, UsersPerNode: 50, Heartbeat: 50 * time.Millisecond, NoJoin: true, NoKill: true, NoTraffic: true}.withDefaults()
	require.NoError(t, err)
	deaf := &deafBus{}
	s := &Sim{cfg: cfg, ledger: newLedger(), start: time.Now(), victim: -1, wrapBus: func(i int, b hub.Bus) hub.Bus {
		if i == 1 {
			deaf.Bus = b
			return deaf
		}
		return b
	}}
	ns, err := wscnats.RunEmbedded("127.0.0.1:0")
	require.NoError(t, err)
	defer func() { ns.Shutdown(); ns.WaitForShutdown() }()
	s.ns = ns
	for i := range 2 {
		n, err := s.startNode(i, ns.ClientURL(), 1024)
		require.NoError(t, err)
		s.nodes = append(s.nodes, n)
		defer n.stop(ctx)
	}
	n1, n2 := s.nodes[0], s.nodes[1]
	users := make([]*user, 50)
	for i := range users {
		users[i] = &user{id: "u" + string(rune('a'+i%26)) + string(rune('a'+i/26))}
		n1.attach(users[i])
	}
	require.Eventually(t, func() bool {
		for _, u := range users {
			if !s.isOn(n2, u.id, n1.name) {
				return false
			}
		}
		return true
	}, 10*time.Second, 10*time.Millisecond, "n2 never learnt n1's users")
	assert.Positive(t, deaf.dropped.Load(), "n2 missed deltas")

	for _, u := range users[:10] { // ten leave n1; n2 misses their goodbyes too
		_, err := n1.hub.DisconnectUser(ctx, u.id, 0)
		require.NoError(t, err)
	}
	require.Eventually(t, func() bool {
		for _, u := range users[:10] {
			if s.isOn(n2, u.id, n1.name) {
				return false
			}
		}
		return s.isOn(n2, users[10].id, n1.name)
	}, 10*time.Second, 10*time.Millisecond, "n2 still places users on n1 who left")
	st, err := n2.hub.Stats(ctx)
	require.NoError(t, err)
	assert.Positive(t, st.RosterAsks, "repaired by asking for the roster")
}
