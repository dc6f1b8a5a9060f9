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

// The writer frames messages itself; gorilla's reader on the client side is
// the judge of every length encoding (7-bit, 16-bit, 64-bit) and of batching.
func TestFramesOfEverySizeReadBack(t *testing.T) {
	e := newEnv(t, hub.Config{MaxQueueBytes: 4 << 20}, ws.Options{})
	c := e.dial(t, "user_id=sizes")
	e.waitConns(t, 1)
	sizes := []int{0, 1, 60, 125, 126, 1000, 65535 - 200, 65536, 200_000}
	for _, n := range sizes { // queued back to back: several go out in one write
		require.NoError(t, e.hub.SendToUser(ctx(t), "sizes", &protocol.Message{Content: strings.Repeat("z", n)}))
	}
	for _, n := range sizes {
		assert.Len(t, read(t, c).Content, n)
	}
}

func TestClientPingGetsPongAndCloseIsEchoed(t *testing.T) {
	e := newEnv(t, hub.Config{}, ws.Options{})
	c := e.dial(t, "user_id=polite")
	e.waitConns(t, 1)
	pong := make(chan string, 1)
	c.SetPongHandler(func(data string) error { pong <- data; return nil })
	require.NoError(t, c.WriteControl(websocket.PingMessage, []byte("hello"), time.Now().Add(time.Second)))
	go func() { _, _, _ = c.ReadMessage() }() // runs the pong handler, then sees the close
	select {
	case got := <-pong:
		assert.Equal(t, "hello", got)
	case <-time.After(5 * time.Second):
		t.Fatal("no pong")
	}

	closed := make(chan int, 1)
	c2 := e.dial(t, "user_id=polite2")
	e.waitConns(t, 2)
	c2.SetCloseHandler(func(code int, _ string) error { closed <- code; return nil })
	require.NoError(t, c2.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye"), time.Now().Add(time.Second)))
	_ = c2.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _, _ = c2.ReadMessage()
	assert.Equal(t, websocket.CloseNormalClosure, <-closed, "the server echoes the client's close")
	e.waitConns(t, 1)
}
