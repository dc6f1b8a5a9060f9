package ws

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The writer keeps its batch buffer from one write to the next, but an idle
// connection keeps no big one: after a big frame the buffer is let go when the
// writer goes idle (idle connections are most of a server's connections, and
// their memory is a goal), after a small one it is kept for the next write.
func TestAnIdleWriterKeepsNoBigBuffer(t *testing.T) {
	conns := make(chan *websocket.Conn, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil); err == nil {
			conns <- c
		}
	}))
	defer srv.Close()
	client, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	require.NoError(t, err)
	defer client.Close()
	c := <-conns
	defer c.Close()
	tr := newTransport(&Server{opts: Options{}.withDefaults()}, c, session.NewOutbox(16, 1<<20), 1<<20)

	writeAndIdle := func(data []byte) {
		t.Helper()
		require.True(t, tr.Send(&session.Frame{Msg: &protocol.Message{ID: "m"}, Data: data}))
		_ = client.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, got, err := client.ReadMessage()
		require.NoError(t, err)
		require.Equal(t, len(data), len(got))
		// the writer lets its buffer go (or not) before it says it is idle,
		// so once it is, tr.buf is the writer's last word on it
		require.Eventually(t, func() bool { return tr.writer.Load() == writerIdle }, 10*time.Second, time.Millisecond)
	}
	big := []byte(`{"content":"` + strings.Repeat("x", 64<<10) + `"}`)
	writeAndIdle(big)
	assert.LessOrEqual(t, cap(tr.buf), 4<<10, "a big frame's buffer is let go once the writer is idle")
	writeAndIdle([]byte(`{"content":"` + string(bytes.Repeat([]byte("y"), 100)) + `"}`))
	assert.Positive(t, cap(tr.buf), "a small buffer is kept for the next write")
}
