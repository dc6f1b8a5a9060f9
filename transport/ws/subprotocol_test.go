package ws_test

import (
	"testing"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/transport/auth"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A browser cannot set headers on a WebSocket, so it may offer its token as
// a subprotocol; it then needs one of its entries answered, or it drops the
// connection. The handshake answers go-wsc's own subprotocol when offered,
// else the token entry; nothing when nothing was offered.
func TestTheHandshakeAnswersTheSubprotocolABrowserOffered(t *testing.T) {
	e := newEnv(t, hub.Config{}, ws.Options{})
	for _, tc := range []struct {
		offered []string
		want    string
	}{
		{[]string{auth.SubprotocolPrefix + "a-token", auth.Subprotocol}, auth.Subprotocol},
		{[]string{auth.SubprotocolPrefix + "a-token"}, auth.SubprotocolPrefix + "a-token"},
		{nil, ""},
	} {
		d := websocket.Dialer{Subprotocols: tc.offered}
		c, resp, err := d.Dial(e.url("user_id=browser"), nil)
		require.NoError(t, err, "offered %q", tc.offered)
		if resp != nil && resp.Body != nil {
			_ = resp.Body.Close()
		}
		assert.Equal(t, tc.want, c.Subprotocol(), "offered %q", tc.offered)
		_ = c.Close()
	}
}
