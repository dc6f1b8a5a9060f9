package nats_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPointToPointAcrossNodes(t *testing.T) {
	nodes := newCluster(t, 3, hub.Config{})
	alice, carol := nodes[0].dial(t, "user_id=alice"), nodes[2].dial(t, "user_id=carol")
	seen(t, nodes, "alice", "carol")

	require.NoError(t, nodes[1].hub.SendToUser(ctx(t), "carol", &protocol.Message{Content: "from n2's API"}))
	assert.Equal(t, "from n2's API", read(t, carol).Content)

	require.NoError(t, alice.WriteMessage(websocket.TextMessage, []byte(`{"to":"carol","content":"hi carol"}`)))
	m := read(t, carol)
	assert.Equal(t, "hi carol", m.Content)
	assert.Equal(t, "alice", m.From)

	where, err := nodes[1].hub.WhereIs(ctx(t), "carol")
	require.NoError(t, err)
	assert.Equal(t, []string{"n3"}, where)
}

func TestOneUserOnTwoNodesGetsOneCopyOnEach(t *testing.T) {
	nodes := newCluster(t, 3, hub.Config{})
	laptop, phone := nodes[0].dial(t, "user_id=dan&conn_id=laptop"), nodes[1].dial(t, "user_id=dan&conn_id=phone")
	require.Eventually(t, func() bool {
		w, err := nodes[2].hub.WhereIs(ctx(t), "dan")
		return err == nil && len(w) == 2
	}, 10*time.Second, 10*time.Millisecond)

	require.NoError(t, nodes[2].hub.SendToUser(ctx(t), "dan", &protocol.Message{Content: "both devices"}))
	assert.Equal(t, "both devices", read(t, laptop).Content)
	assert.Equal(t, "both devices", read(t, phone).Content)
	quiet(t, laptop)
	quiet(t, phone)
}

func TestTicketSpansThreeNodes(t *testing.T) {
	nodes := newCluster(t, 3, hub.Config{})
	agent := nodes[0].dial(t, "user_id=agent&user_type=agent&ticket_id=T1")
	cust := nodes[1].dial(t, "user_id=cust&ticket_id=T1")
	boss := nodes[2].dial(t, "user_id=boss&user_type=admin&ticket_id=T1")
	seen(t, nodes, "agent", "cust", "boss")
	members(t, nodes, "T1", 3)

	require.NoError(t, cust.WriteMessage(websocket.TextMessage, []byte(`{"ticket_id":"T1","content":"my order is late"}`)))
	for _, c := range []*websocket.Conn{agent, boss} {
		m := read(t, c)
		assert.Equal(t, "my order is late", m.Content)
		assert.Equal(t, "cust", m.From)
	}
	quiet(t, cust) // the sender's connection gets no copy
	quiet(t, agent)
	quiet(t, boss)
}

func TestBroadcastReachesEveryConnectionOnce(t *testing.T) {
	nodes := newCluster(t, 3, hub.Config{})
	var conns []*websocket.Conn
	for i := range 9 {
		conns = append(conns, nodes[i%3].dial(t, fmt.Sprint("user_id=b", i)))
	}
	seen(t, nodes, "b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8")
	require.NoError(t, nodes[1].hub.Broadcast(ctx(t), &protocol.Message{Content: "to all"}))
	for _, c := range conns {
		assert.Equal(t, "to all", read(t, c).Content)
		quiet(t, c)
	}
	for _, nd := range nodes {
		s, err := nd.hub.Stats(ctx(t))
		require.NoError(t, err)
		want := int64(0)
		if nd == nodes[1] {
			want = 1
		}
		assert.Equal(t, want, s.Encodes, "%s: only the sending node encodes; the others reuse its bytes", nd.name)
	}
}

func TestPresenceConvergesWhenANodeLeavesOrDies(t *testing.T) {
	nodes := newCluster(t, 3, hub.Config{})
	nodes[1].dial(t, "user_id=leaver")
	nodes[2].dial(t, "user_id=victim")
	seen(t, nodes, "leaver", "victim")

	nodes[1].stop() // a clean leave says bye
	require.Eventually(t, func() bool {
		u, err := nodes[0].hub.OnlineUsers(ctx(t))
		return err == nil && !contains(u, "leaver")
	}, 10*time.Second, 5*time.Millisecond)

	start := time.Now()
	nodes[2].bus.Conn().Close() // a death says nothing: the heartbeat TTL finds it
	require.Eventually(t, func() bool {
		u, err := nodes[0].hub.OnlineUsers(ctx(t))
		return err == nil && !contains(u, "victim")
	}, 10*time.Second, 5*time.Millisecond)
	// the TTL and a tick, with room for a loaded machine: a TTL of over 10
	// heartbeats, or none, fails
	assert.Less(t, time.Since(start), 3*heartbeat+2*time.Second, "within the TTL (three heartbeats) and a tick")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestAckAcrossNodes(t *testing.T) {
	nodes := newCluster(t, 2, hub.Config{EnableAck: true})
	c := nodes[1].dial(t, "user_id=remote")
	seen(t, nodes, "remote")
	go func() {
		m := read(t, c)
		_ = c.WriteMessage(websocket.TextMessage, []byte(`{"type":"ack","message_id":"`+m.ID+`"}`))
	}()
	o, err := nodes[0].hub.SendToUserWithAck(ctx(t), "remote", &protocol.Message{Content: "confirm from n2"})
	require.NoError(t, err)
	assert.Equal(t, hub.Acknowledged, o.Result)
}

func TestOfflineAcrossNodesOnceThenDeliveredAnywhere(t *testing.T) {
	nodes := newCluster(t, 3, hub.Config{})
	require.ErrorIs(t, nodes[0].hub.SendToUser(ctx(t), "away", &protocol.Message{Content: "kept 1"}), hub.ErrUserOffline)
	require.ErrorIs(t, nodes[0].hub.SendToUser(ctx(t), "away", &protocol.Message{Content: "kept 2"}), hub.ErrUserOffline)
	for i, nd := range nodes {
		s, err := nd.hub.Stats(ctx(t))
		require.NoError(t, err)
		assert.Equal(t, map[bool]int{true: 2, false: 0}[i == 0], s.OfflineStored, "stored once, on the sending node (%s)", nd.name)
	}
	c := nodes[2].dial(t, "user_id=away") // connects to another node
	assert.Equal(t, "kept 1", read(t, c).Content)
	assert.Equal(t, "kept 2", read(t, c).Content)
	s, err := nodes[0].hub.Stats(ctx(t))
	require.NoError(t, err)
	assert.Zero(t, s.OfflineStored)
}
