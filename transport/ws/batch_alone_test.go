package ws_test

import (
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A frame alone in a ?batch=1 connection's queue goes as the plain object
// (PROTOCOL.md: a client reads both shapes), not as an array of one.
func TestAFrameAloneGoesPlainToABatchingConnection(t *testing.T) {
	e := newEnv(t, hub.Config{}, ws.Options{})
	c := e.dial(t, "user_id=b&batch=1")
	e.waitConns(t, 1)
	for i := range 3 { // one at a time: each is read before the next is sent
		require.NoError(t, e.hub.SendToUser(ctx(t), "b", &protocol.Message{Content: "alone"}))
		require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
		_, data, err := c.ReadMessage()
		require.NoError(t, err)
		assert.Equal(t, byte('{'), data[0], "frame %d: %s", i, data)
		m, err := protocol.Decode(data)
		require.NoError(t, err, string(data))
		assert.Equal(t, "alone", m.Content)
	}
}
