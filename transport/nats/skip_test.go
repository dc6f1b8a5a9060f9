package nats_test

import (
	"context"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A client's ticket message skips only the connection it came from: the
// sender's other device, on another node, gets it, and so do the others.
func TestATicketMessageReachesTheSendersOtherNode(t *testing.T) {
	nodes := newCluster(t, 2, hub.Config{})
	phone := nodes[0].dial(t, "user_id=cust&conn_id=phone&ticket_id=T1")
	laptop := nodes[1].dial(t, "user_id=cust&conn_id=laptop&ticket_id=T1")
	agent := nodes[1].dial(t, "user_id=agent&ticket_id=T1")
	seen(t, nodes, "cust", "agent")
	members(t, nodes, "T1", 2)

	require.NoError(t, phone.WriteMessage(websocket.TextMessage, []byte(`{"ticket_id":"T1","content":"from my phone"}`)))
	for _, c := range []*websocket.Conn{laptop, agent} {
		m := read(t, c)
		assert.Equal(t, "from my phone", m.Content)
		assert.Equal(t, "cust", m.From)
	}
	quiet(t, phone) // its own message never comes back to it
}

// A server send to a ticket reaches each member on every node it is on, even
// when the member also has a connection on the sending node (it used to be
// published only for members with no connection here).
func TestATicketSendReachesAMemberOnEveryNode(t *testing.T) {
	nodes := newCluster(t, 2, hub.Config{})
	phone := nodes[0].dial(t, "user_id=cust&conn_id=phone&ticket_id=T1")
	laptop := nodes[1].dial(t, "user_id=cust&conn_id=laptop&ticket_id=T1")
	seen(t, nodes, "cust")
	members(t, nodes, "T1", 1)
	require.Eventually(t, func() bool { // n1 knows cust is on n2 too
		where, err := nodes[0].hub.WhereIs(context.Background(), "cust")
		return err == nil && len(where) == 2
	}, 10*time.Second, 5*time.Millisecond)
	require.NoError(t, nodes[0].hub.SendToTicket(ctx(t), "T1", &protocol.Message{Content: "to the ticket"}))
	assert.Equal(t, "to the ticket", read(t, phone).Content)
	assert.Equal(t, "to the ticket", read(t, laptop).Content)
}
