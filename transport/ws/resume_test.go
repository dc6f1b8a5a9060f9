package ws_test

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A WebSocket client reconnecting with ?last_event_id= gets again what was
// sent to it after that id (frames it may have lost with the old
// connection), in order, before anything new.
func TestLastEventIDQueryResumes(t *testing.T) {
	e := newEnv(t, hub.Config{}, ws.Options{})
	c := e.dial(t, "user_id=re")
	e.waitConns(t, 1)
	var ids []string
	for i := range 3 {
		require.NoError(t, e.hub.SendToUser(ctx(t), "re", &protocol.Message{Content: strconv.Itoa(i)}))
		m := read(t, c)
		require.Equal(t, strconv.Itoa(i), m.Content)
		ids = append(ids, m.ID)
	}
	require.NoError(t, c.Close())
	e.waitConns(t, 0)

	again := e.dial(t, "user_id=re&last_event_id="+url.QueryEscape(ids[0]))
	e.waitConns(t, 1)
	require.NoError(t, e.hub.SendToUser(ctx(t), "re", &protocol.Message{Content: "new"}))
	for i, want := range []string{"1", "2", "new"} {
		m := read(t, again)
		assert.Equal(t, want, m.Content, "frame %d", i)
	}
}
