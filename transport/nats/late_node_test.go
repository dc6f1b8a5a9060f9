package nats_test

import (
	"testing"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	wscnats "github.com/go-wsc/go-wsc/transport/nats"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A node started after a client joined a ticket on another node (each node
// with its own store) learns the ticket's members over NATS when it joins the
// bus (its sync request, answered to it alone): the ticket's messages it
// sends reach the member on the first node.
func TestANodeStartedLaterSendsToATicketJoinedBefore(t *testing.T) {
	ns, err := wscnats.RunEmbedded("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	n1 := startNode(t, ns.ClientURL(), "n1", hub.Config{})
	agent := n1.dial(t, "user_id=agent&user_type=agent&ticket_id=T1")
	members(t, []*node{n1}, "T1", 1)

	n2 := startNode(t, ns.ClientURL(), "n2", hub.Config{})
	members(t, []*node{n2}, "T1", 1)
	seen(t, []*node{n2}, "agent")
	require.NoError(t, n2.hub.SendToTicket(ctx(t), "T1", &protocol.Message{Content: "from the late node"}))
	assert.Equal(t, "from the late node", read(t, agent).Content)
}
