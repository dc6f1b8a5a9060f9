package ws

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// After the handshake gorilla writes nothing: its connection is sealed, so a
// write of its (as on a protocol error) fails at once instead of holding the
// socket's write lock, while the transport's writer writes through.
func TestGorillaWritesNothingAfterTheHandshake(t *testing.T) {
	conns := make(chan *websocket.Conn, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := upgrade(&websocket.Upgrader{}, w, r, nil); err == nil {
			conns <- c
		}
	}))
	defer srv.Close()
	client, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	require.NoError(t, err, "the handshake's answer went through")
	resp.Body.Close()
	defer client.Close()
	c := <-conns
	defer c.Close()

	assert.ErrorIs(t, c.WriteControl(websocket.PingMessage, []byte("gorilla"), time.Now().Add(time.Second)), errSealed)
	tr := newTransport(&Server{opts: Options{}.withDefaults()}, c, session.NewOutbox(4, 1<<20), 1<<20)
	require.NoError(t, tr.write(appendFrame(nil, opText, []byte(`{"from":"the writer"}`))))
	require.NoError(t, client.SetReadDeadline(time.Now().Add(10*time.Second)))
	_, got, err := client.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, `{"from":"the writer"}`, string(got), "the writer's frame, and no ping before it")
}
