package ws_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readBatched reads n messages from c, splitting arrays, and says how many
// frames carried them.
func readBatched(t *testing.T, c interface {
	SetReadDeadline(time.Time) error
	ReadMessage() (int, []byte, error)
}, n int) ([]*protocol.Message, int) {
	t.Helper()
	var msgs []*protocol.Message
	frames := 0
	for len(msgs) < n {
		require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
		_, data, err := c.ReadMessage()
		require.NoError(t, err)
		frames++
		parts := []json.RawMessage{data}
		if strings.HasPrefix(string(data), "[") {
			require.NoError(t, json.Unmarshal(data, &parts))
			require.Greater(t, len(parts), 1, "an array holds several frames: one goes alone")
		}
		for _, p := range parts {
			m, err := protocol.Decode(p)
			require.NoError(t, err, string(p))
			msgs = append(msgs, m)
		}
	}
	return msgs, frames
}

// Broadcasts (shared frames, framed once for the plain connections) go to a
// ?batch=1 connection packed in arrays and to a plain one a frame each, both
// complete and in order.
func TestBatchedAndPlainConnectionsGetEveryBroadcastInOrder(t *testing.T) {
	const n = 300
	e := newEnv(t, hub.Config{MessageBufferSize: 1024}, ws.Options{})
	batched := e.dial(t, "user_id=b&batch=1")
	plain := e.dial(t, "user_id=p")
	e.waitConns(t, 2)
	for i := range n {
		e.hub.System().Root.Send(e.hub.PID(), &hub.Broadcast{Msg: &protocol.Message{Content: fmt.Sprint(i)}})
	}
	got, frames := readBatched(t, batched, n)
	for i, m := range got {
		require.Equal(t, fmt.Sprint(i), m.Content)
	}
	assert.Less(t, frames, n, "packed")
	got, frames = readBatched(t, plain, n)
	for i, m := range got {
		require.Equal(t, fmt.Sprint(i), m.Content)
	}
	assert.Equal(t, n, frames, "one message a frame")
}
