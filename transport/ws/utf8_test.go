package ws_test

import (
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInvalidUTF8Closes1007: a frame whose bytes are not UTF-8 closes the
// connection with 1007 (RFC 6455) and reaches nobody, where it used to be
// relayed with U+FFFD; valid multi-byte text passes untouched.
func TestInvalidUTF8Closes1007(t *testing.T) {
	e := newEnv(t, hub.Config{}, ws.Options{})
	rcv := e.dial(t, "user_id=rcv")
	snd := e.dial(t, "user_id=snd")
	e.waitConns(t, 2)

	require.NoError(t, snd.WriteMessage(websocket.TextMessage, []byte(`{"to":"rcv","content":"héllo ✓"}`)))
	assert.Equal(t, "héllo ✓", read(t, rcv).Content)

	for name, typ := range map[string]int{"text": websocket.TextMessage, "binary": websocket.BinaryMessage} {
		t.Run(name, func(t *testing.T) {
			c := e.dial(t, "user_id=bad-"+name)
			require.NoError(t, c.WriteMessage(typ, []byte("{\"to\":\"rcv\",\"content\":\"\xff\xfe\xfd\"}")))
			require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
			_, _, err := c.ReadMessage()
			var ce *websocket.CloseError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, protocol.CloseInvalidData, ce.Code)
		})
	}
	// nothing reached the receiver: the next frame it reads is this one
	require.NoError(t, snd.WriteMessage(websocket.TextMessage, []byte(`{"to":"rcv","content":"after"}`)))
	assert.Equal(t, "after", read(t, rcv).Content)
}
