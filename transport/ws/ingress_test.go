package ws_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The reader hands routed messages to the hub past the session; the session
// still hears of them: a client that only sends messages (no pings) is not
// idle, and once it stops it is closed as idle, not before the timeout.
func TestRoutedMessagesKeepAClientAlive(t *testing.T) {
	// 1 s: at 300 ms the client's pace (a send, its echo, a third of the
	// timeout) left 200 ms for the echo, and a loaded machine took longer
	// (closed as idle mid-test: 2 runs in 30 under three CPU hogs, load 16)
	const timeout = time.Second
	e := newEnv(t, hub.Config{HeartbeatInterval: time.Hour, ClientTimeout: timeout}, ws.Options{})
	c := e.dial(t, "user_id=talker")
	e.waitConns(t, 1)
	for i := range 9 { // to itself, every timeout/3, for three timeouts
		send(t, c, fmt.Sprintf(`{"type":"text","to":"talker","content":"%d"}`, i))
		m := read(t, c)
		require.Equal(t, fmt.Sprint(i), m.Content)
		time.Sleep(timeout / 3) // the pace of the client under test, not a wait for the server
	}
	stopped := time.Now()
	assert.Equal(t, protocol.CloseIdleTimeout, readClose(t, c, 3*time.Second))
	assert.GreaterOrEqual(t, time.Since(stopped), timeout-timeout/3-50*time.Millisecond, "not closed before the timeout")
	s, err := e.hub.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, int64(1), s.IdleTimeouts)
}

// Routed messages count against the inbound rate limit as every frame does:
// past it the connection is closed with 3003, and the hub routes no more of
// what the client sent.
func TestRoutedMessagesObeyTheRateLimit(t *testing.T) {
	e := newEnv(t, hub.Config{RateLimit: 5, RateBurst: 5}, ws.Options{})
	rx := e.dial(t, "user_id=rx")
	c := e.dial(t, "user_id=chatty")
	e.waitConns(t, 2)
	go func() {
		for i := range 50 { // far over 5 frames/s with bursts of 5
			if c.WriteMessage(websocket.TextMessage, []byte(fmt.Sprintf(`{"type":"text","to":"rx","content":"%d"}`, i))) != nil {
				return
			}
		}
	}()
	assert.Equal(t, protocol.CloseRateLimited, readClose(t, c, 5*time.Second))
	s, err := e.hub.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, int64(1), s.RateLimitedCloses)
	// what got through is the burst (and what the bucket refilled meanwhile)
	got := 0
	require.NoError(t, rx.SetReadDeadline(time.Now().Add(300*time.Millisecond)))
	for {
		if _, _, err := rx.ReadMessage(); err != nil {
			break
		}
		got++
	}
	assert.GreaterOrEqual(t, got, 5)
	assert.Less(t, got, 10)
}

// A connection is registered (and has joined the tickets it named) before the
// hub sees anything it sends: a ticket message sent at once, before the
// client hears anything, reaches the other member.
func TestATicketMessageSentAtOnceIsRouted(t *testing.T) {
	e := newEnv(t, hub.Config{}, ws.Options{})
	member := e.dial(t, "user_id=member&ticket_id=room")
	e.waitConns(t, 1)
	for i := range 20 {
		c := e.dial(t, fmt.Sprintf("user_id=s%d&ticket_id=room", i))
		send(t, c, fmt.Sprintf(`{"type":"text","ticket_id":"room","content":"%d"}`, i))
		m := read(t, member)
		require.Equal(t, protocol.TypeText, m.Type, "%+v", m)
		require.Equal(t, fmt.Sprint(i), m.Content)
	}
}
