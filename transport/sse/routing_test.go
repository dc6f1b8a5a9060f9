package sse_test

import (
	"fmt"
	"testing"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/sse"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSendToUserReachesWebSocketAndSSE(t *testing.T) {
	e := newEnv(t, hub.Config{}, sse.Options{})
	wsConn := e.dial(t, "user_id=bob&conn_id=laptop")
	s := e.open(t, "user_id=bob&conn_id=phone", nil)
	e.waitConns(t, 1, 1)

	for i := 1; i <= 2; i++ {
		require.NoError(t, e.hub.SendToUser(ctx(t), "bob", &protocol.Message{Content: fmt.Sprint("hi ", i)}))
	}
	for i := 1; i <= 2; i++ {
		viaWS := readWS(t, wsConn)
		ev, viaSSE := s.msg(t)
		assert.Equal(t, fmt.Sprint("hi ", i), viaWS.Content)
		assert.Equal(t, fmt.Sprint("hi ", i), viaSSE.Content)
		assert.Equal(t, viaWS.ID, viaSSE.ID, "the same message")
		assert.Equal(t, viaSSE.ID, ev.ID, "the event's id is the message id")
		assert.Equal(t, "text", ev.Type)
		assert.Equal(t, "bob", viaSSE.To)
		assert.Equal(t, int64(i), viaSSE.SeqNo)
	}
	st, err := e.hub.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, 1, st.Users)
	assert.Equal(t, 1, e.sse.Streams())
}

func TestTicketWithMembersOnBothTransports(t *testing.T) {
	e := newEnv(t, hub.Config{}, sse.Options{})
	agent := e.dial(t, "user_id=agent1&user_type=agent&ticket_id=T1")
	cust := e.open(t, "user_id=cust1&ticket_id=T1", nil)
	e.waitConns(t, 1, 1)

	// SSE → WebSocket: a POSTed frame routed to the ticket, with the true sender
	cust.send(t, `{"ticket_id":"T1","from":"mallory","content":"help","msg_id":"c1"}`)
	m := readWS(t, agent)
	assert.Equal(t, "help", m.Content)
	assert.Equal(t, "cust1", m.From)
	assert.Equal(t, "T1", m.TicketID)
	assert.Equal(t, "c1", m.MsgID)

	// WebSocket → SSE
	require.NoError(t, agent.WriteMessage(websocket.TextMessage, []byte(`{"ticket_id":"T1","content":"on it"}`)))
	ev, got := cust.msg(t)
	assert.Equal(t, "on it", got.Content)
	assert.Equal(t, "agent1", got.From)
	assert.Equal(t, got.ID, ev.ID, "ticket messages carry an id line: they can be resumed")

	// a server send to the ticket skips the user named in from
	require.NoError(t, e.hub.SendToTicket(ctx(t), "T1", &protocol.Message{From: "agent1", Content: "closing soon"}))
	_, got = cust.msg(t)
	assert.Equal(t, "closing soon", got.Content)
	require.NoError(t, e.hub.SendToTicket(ctx(t), "T1", &protocol.Message{From: "cust1", Content: "thanks"}))
	assert.Equal(t, "thanks", readWS(t, agent).Content)

	// the sender's own stream got nothing of its own messages: its next event is a pong
	cust.send(t, `{"type":"ping"}`)
	ev, got = cust.msg(t)
	assert.Equal(t, protocol.TypePong, got.Type)
	assert.False(t, ev.HasID, "control frames leave the last event id alone")
}

func TestBroadcastReachesSSEFormattedOnce(t *testing.T) {
	e := newEnv(t, hub.Config{}, sse.Options{})
	const n = 50
	streams := make([]*stream, n)
	for i := range streams {
		streams[i] = e.open(t, fmt.Sprintf("user_id=u%d", i), nil)
	}
	wsConn := e.dial(t, "user_id=w")
	e.waitConns(t, 1, n)

	require.NoError(t, e.hub.Broadcast(ctx(t), &protocol.Message{Type: protocol.TypeNotice, Content: "maintenance at noon"}))
	for _, s := range streams {
		ev, m := s.msg(t)
		assert.Equal(t, "notice", ev.Type)
		assert.Equal(t, "maintenance at noon", m.Content)
		assert.False(t, ev.HasID, "a broadcast cannot be resumed, so it does not move Last-Event-ID")
	}
	assert.Equal(t, "maintenance at noon", readWS(t, wsConn).Content)
	// Writers that reach a fresh shared frame at the same instant may each format
	// it (Frame.Encoded keeps one); never once per stream.
	assert.LessOrEqual(t, e.sse.PreparedEvents(), int64(4), "formatted about once for %d streams", n)
	assert.Positive(t, e.sse.PreparedEvents())
}
