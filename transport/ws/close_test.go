package ws_test

import (
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The server echoes the code a client closed with; a close frame without a
// code is answered with 1000 (1005 is never sent on the wire).
func TestThePeersCloseCodeIsEchoed(t *testing.T) {
	e := newEnv(t, hub.Config{}, ws.Options{})
	for _, tc := range []struct {
		payload []byte
		want    int
	}{
		{websocket.FormatCloseMessage(websocket.CloseGoingAway, "tab closed"), websocket.CloseGoingAway},
		{nil, websocket.CloseNormalClosure},
	} {
		c := e.dial(t, "user_id=leaver")
		e.waitConns(t, 1)
		echoed := make(chan int, 1)
		c.SetCloseHandler(func(code int, _ string) error { echoed <- code; return nil })
		require.NoError(t, c.WriteControl(websocket.CloseMessage, tc.payload, time.Now().Add(time.Second)))
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, _, _ = c.ReadMessage()
		select {
		case code := <-echoed:
			assert.Equal(t, tc.want, code)
		default:
			t.Fatal("no close frame from the server")
		}
		e.waitConns(t, 0)
	}
}

// MaxMessageSize is the largest frame allowed, not the first refused: a frame
// of exactly that size is read and handled.
func TestAFrameOfExactlyTheLimitPasses(t *testing.T) {
	const limit = 1024
	e := newEnv(t, hub.Config{MaxMessageSize: limit}, ws.Options{})
	c := e.dial(t, "user_id=edge")
	e.waitConns(t, 1)
	head, tail := `{"type":"ping","content":"`, `"}`
	frame := head + strings.Repeat("a", limit-len(head)-len(tail)) + tail
	require.Len(t, frame, limit)
	send(t, c, frame)
	assert.Equal(t, protocol.TypePong, read(t, c).Type)
}
