package ws_test

import (
	"fmt"
	"testing"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSendToUserReachesEveryConnection(t *testing.T) {
	e := newEnv(t, hub.Config{}, ws.Options{})
	conns := []*websocket.Conn{e.dial(t, "user_id=bob&conn_id=a"), e.dial(t, "user_id=bob&conn_id=b"), e.dial(t, "user_id=bob&conn_id=c")}
	e.waitConns(t, 3)

	for i := 1; i <= 2; i++ {
		require.NoError(t, e.hub.SendToUser(ctx(t), "bob", &protocol.Message{Content: fmt.Sprint("hi ", i)}))
	}
	for _, c := range conns {
		first, second := read(t, c), read(t, c)
		assert.Equal(t, "hi 1", first.Content)
		assert.Equal(t, "hi 2", second.Content)
		assert.Equal(t, "system", first.From)
		assert.Equal(t, "bob", first.To)
		assert.Equal(t, protocol.StatusSent, first.Status)
		assert.NotEmpty(t, first.ID)
		assert.False(t, first.CreateAt.IsZero())
		assert.Less(t, first.SeqNo, second.SeqNo, "seq_no increases per user")
	}
}

func TestClientMessageToUserHasTrueSender(t *testing.T) {
	e := newEnv(t, hub.Config{}, ws.Options{})
	alice, bob := e.dial(t, "user_id=alice"), e.dial(t, "user_id=bob")
	e.waitConns(t, 2)

	send(t, alice, `{"to":"bob","from":"mallory","content":"hello","msg_id":"c1","id":"forged"}`)
	m := read(t, bob)
	assert.Equal(t, "alice", m.From, "the hub overwrites a spoofed from")
	assert.Equal(t, "hello", m.Content)
	assert.Equal(t, "c1", m.MsgID)
	assert.NotEqual(t, "forged", m.ID)
	assert.Equal(t, protocol.TypeText, m.Type)
}

func TestTicketFanOutExcludesSender(t *testing.T) {
	e := newEnv(t, hub.Config{}, ws.Options{})
	agent := e.dial(t, "user_id=agent1&user_type=agent&ticket_id=T1")
	cust := e.dial(t, "user_id=cust1&ticket_id=T1")
	custPhone := e.dial(t, "user_id=cust1&conn_id=phone&ticket_id=T1")
	outsider := e.dial(t, "user_id=other")
	e.waitConns(t, 4)

	send(t, cust, `{"ticket_id":"T1","content":"help"}`)
	for _, c := range []*websocket.Conn{agent, custPhone} {
		m := read(t, c)
		assert.Equal(t, "help", m.Content)
		assert.Equal(t, "cust1", m.From)
		assert.Equal(t, "T1", m.TicketID)
	}
	// the sender's own connection gets nothing: its next frame is the answer to a ping
	send(t, cust, `{"type":"ping"}`)
	assert.Equal(t, protocol.TypePong, read(t, cust).Type)

	// a non-member may not post into the ticket
	send(t, outsider, `{"ticket_id":"T1","content":"spam","msg_id":"x"}`)
	refused := read(t, outsider)
	assert.Equal(t, protocol.TypeError, refused.Type)
	assert.Equal(t, protocol.CodeForbidden, refused.Code)
	assert.Equal(t, "x", refused.MessageID)

	// server-side ticket sends skip the user named in from
	require.NoError(t, e.hub.SendToTicket(ctx(t), "T1", &protocol.Message{From: "agent1", Content: "on it"}))
	assert.Equal(t, "on it", read(t, cust).Content)
	assert.Equal(t, "on it", read(t, custPhone).Content)
	send(t, agent, `{"type":"ping"}`)
	assert.Equal(t, protocol.TypePong, read(t, agent).Type)
}

func TestBroadcastEncodesOnceForAThousandConnections(t *testing.T) {
	e := newEnv(t, hub.Config{}, ws.Options{})
	const n = 1000
	conns := make([]*websocket.Conn, n)
	for i := range conns {
		conns[i] = e.dial(t, fmt.Sprintf("user_id=u%d", i))
	}
	e.waitConns(t, n)
	before, err := e.hub.Stats(ctx(t))
	require.NoError(t, err)

	require.NoError(t, e.hub.Broadcast(ctx(t), &protocol.Message{Type: protocol.TypeNotice, Content: "maintenance at noon"}))
	for _, c := range conns {
		assert.Equal(t, "maintenance at noon", read(t, c).Content)
	}
	after, err := e.hub.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, int64(1), after.Encodes-before.Encodes, "one JSON encoding for %d recipients", n)
	assert.Equal(t, int64(1), e.ws.PreparedMessages(), "one WebSocket framing for %d recipients", n)
}

func TestOfflineMessagesArriveInOrderBeforeNewOnes(t *testing.T) {
	e := newEnv(t, hub.Config{}, ws.Options{})
	for i := 1; i <= 3; i++ {
		err := e.hub.SendToUser(ctx(t), "carol", &protocol.Message{Content: fmt.Sprint("stored ", i)})
		require.ErrorIs(t, err, hub.ErrUserOffline)
	}
	s, err := e.hub.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, 3, s.OfflineStored)

	c := e.dial(t, "user_id=carol")
	e.waitConns(t, 1)
	require.NoError(t, e.hub.SendToUser(ctx(t), "carol", &protocol.Message{Content: "new"}))
	var got []string
	var seqs []int64
	for range 4 {
		m := read(t, c)
		got = append(got, m.Content)
		seqs = append(seqs, m.SeqNo)
	}
	assert.Equal(t, []string{"stored 1", "stored 2", "stored 3", "new"}, got)
	assert.IsIncreasing(t, seqs)
	s, err = e.hub.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, 0, s.OfflineStored)
}

func TestWelcomeIsTheFirstFrame(t *testing.T) {
	e := newEnv(t, hub.Config{Welcome: &hub.TemplateWelcome{
		Default: &hub.WelcomeTemplate{Title: "Hi", Content: "welcome {user_id}"},
		ByType:  map[protocol.UserType]*hub.WelcomeTemplate{protocol.UserTypeAgent: {Title: "Shift", Content: "agent {user_id} on {ticket_id}"}},
	}}, ws.Options{})
	cust := e.dial(t, "user_id=dan")
	agent := e.dial(t, "user_id=eve&user_type=agent&ticket_id=T9")
	w := read(t, cust)
	assert.Equal(t, protocol.TypeWelcome, w.Type)
	assert.Equal(t, "welcome dan", w.Content)
	assert.Equal(t, "Hi", w.Data["title"])
	assert.Equal(t, "agent eve on T9", read(t, agent).Content)
}
