package ws_test

import (
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A frame that breaks the protocol (here: a client's frame unmasked) ends the
// connection with 1002, written by the writer: gorilla, which met the error,
// writes nothing after the handshake (sealed.go).
func TestAProtocolErrorClosesWith1002(t *testing.T) {
	e := newEnv(t, hub.Config{HeartbeatInterval: time.Hour}, ws.Options{})
	c := e.dial(t, "user_id=broken")
	e.waitConns(t, 1)
	_, err := c.UnderlyingConn().Write([]byte{0x81, 0x00}) // FIN, text, no mask, no payload
	require.NoError(t, err)
	require.NoError(t, c.SetReadDeadline(time.Now().Add(10*time.Second)))
	for {
		_, _, err := c.ReadMessage()
		if err == nil {
			continue // a welcome, say
		}
		ce, ok := err.(*websocket.CloseError)
		require.True(t, ok, "a close frame, not %v", err)
		assert.Equal(t, websocket.CloseProtocolError, ce.Code)
		assert.Equal(t, "bad MASK", ce.Text, "gorilla's reason")
		break
	}
	e.waitConns(t, 0)
}
