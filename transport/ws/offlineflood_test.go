package ws_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A client's messages to a user on no node are stored until the user's
// backlog reaches half of OfflinePerUser; from there on they are refused to
// the sender (4029), not stored.
func TestClientMessagesToAnOfflineUserAreStoredUpToHalfTheQuota(t *testing.T) {
	e := newEnv(t, hub.Config{OfflinePerUser: 4, OfflineTotal: 100}, ws.Options{})
	c := e.dial(t, "user_id=sender")
	e.waitConns(t, 1)
	for i := range 2 {
		send(t, c, fmt.Sprintf(`{"to":"away","content":"%d"}`, i))
	}
	require.Eventually(t, func() bool {
		kept, err := e.hub.OfflineMessages(ctx(t), "away")
		return err == nil && len(kept) == 2
	}, 5*time.Second, 5*time.Millisecond, "the first two are stored")
	send(t, c, `{"to":"away","content":"third","msg_id":"m3"}`)
	m := read(t, c)
	assert.Equal(t, protocol.TypeError, m.Type)
	assert.Equal(t, "m3", m.MessageID, "the refusal names the message")
	kept, err := e.hub.OfflineMessages(ctx(t), "away")
	require.NoError(t, err)
	assert.Len(t, kept, 2)
}
