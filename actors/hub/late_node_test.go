package hub_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A node that starts after a ticket was joined on another (each with its own
// store) learns the ticket's members from the others when it joins the bus:
// a message it sends to the ticket reaches the member connected elsewhere.
func TestANodeStartedLaterLearnsTheTicketsJoinedBefore(t *testing.T) {
	net := newMemNet()
	t.Cleanup(net.close) // after both hubs' cleanups
	ctx := context.Background()
	n1 := startNode(t, hub.Config{NodeID: "n1", Bus: net.bus(), ClusterHeartbeat: beat})
	require.NoError(t, n1.JoinTicket(ctx, "T", "ann"))
	tr := newMem(16)
	connect(n1, session.Identity{UserID: "ann"}, tr)
	require.Eventually(t, func() bool { s, _ := n1.Stats(ctx); return s.Connections == 1 }, 5*time.Second, time.Millisecond)

	n2 := startNode(t, hub.Config{NodeID: "n2", Bus: net.bus(), ClusterHeartbeat: beat})
	require.Eventually(t, func() bool {
		members, err := n2.TicketMembers(ctx, "T")
		return err == nil && slices.Equal(members, []string{"ann"})
	}, 5*time.Second, time.Millisecond, "n2 learnt T's members from n1")
	sees(t, n2, "ann", true)
	require.NoError(t, n2.SendToTicket(ctx, "T", &protocol.Message{Content: "from the late node"}))
	assert.Equal(t, "from the late node", tr.next(t).Msg.Content)
}
