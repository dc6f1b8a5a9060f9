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

// A batch holds at most 64 frames (PROTOCOL.md): a burst far larger than
// that, queued faster than the writer writes, comes in arrays of 64 at most,
// the bound reached.
func TestABatchHoldsAtMost64Frames(t *testing.T) {
	const n = 2000
	e := newEnv(t, hub.Config{MessageBufferSize: 4 * n}, ws.Options{})
	c := e.dial(t, "user_id=b&batch=1")
	e.waitConns(t, 1)
	for i := range n {
		e.hub.System().Root.Send(e.hub.PID(), &hub.Broadcast{Msg: &protocol.Message{Content: fmt.Sprint(i)}})
	}
	largest, got := 0, 0
	for got < n {
		require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
		_, data, err := c.ReadMessage()
		require.NoError(t, err)
		parts := []json.RawMessage{data}
		if strings.HasPrefix(string(data), "[") {
			require.NoError(t, json.Unmarshal(data, &parts))
		}
		largest = max(largest, len(parts))
		got += len(parts)
	}
	assert.Equal(t, n, got)
	assert.Equal(t, 64, largest, "the largest array")
}
