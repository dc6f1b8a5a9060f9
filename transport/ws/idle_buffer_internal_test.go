package ws

import (
	"bytes"
	"net"
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

// A writer keeps its batch buffer from one write to the next, but an idle
// connection keeps no big one, nor does an idle pool: after a big frame the
// buffer is let go when the writer goes idle (idle connections are most of a
// server's connections, and their memory is a goal), after a small one it is
// kept for the next write. A pool worker's buffer is the shard's; a
// connection without a raw connection (here: one hidden behind a wrapper)
// writes from writeLoop, with a buffer of its own.
func TestAnIdleWriterKeepsNoBigBuffer(t *testing.T) {
	for _, pooled := range []bool{true, false} {
		conns := make(chan *websocket.Conn, 1)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil); err == nil {
				conns <- c
			}
		}))
		client, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
		require.NoError(t, err)
		c := <-conns
		tr := newTransport(&Server{opts: Options{}.withDefaults()}, c, session.NewOutbox(16, 1<<20), 1<<20)
		if !pooled {
			tr.nc = struct{ net.Conn }{tr.nc} // no SyscallConn
		}
		buf := func() []byte {
			if pooled {
				return tr.shard.buf
			}
			return tr.buf
		}

		writeAndIdle := func(data []byte) {
			t.Helper()
			require.True(t, tr.Send(&session.Frame{Msg: &protocol.Message{ID: "m"}, Data: data}))
			_ = client.SetReadDeadline(time.Now().Add(10 * time.Second))
			_, got, err := client.ReadMessage()
			require.NoError(t, err)
			require.Equal(t, len(data), len(got))
			// the writer lets its buffer go (or not) before it says it is
			// idle, and the shard's worker before it says it stops, so once
			// they have, the buffer is their last word on it
			require.Eventually(t, func() bool {
				return tr.writer.Load() == writerIdle && !tr.shard.running.Load()
			}, 10*time.Second, time.Millisecond)
		}
		big := []byte(`{"content":"` + strings.Repeat("x", 64<<10) + `"}`)
		writeAndIdle(big)
		assert.LessOrEqual(t, cap(buf()), 4<<10, "pooled %v: a big frame's buffer is let go once the writer is idle", pooled)
		writeAndIdle([]byte(`{"content":"` + string(bytes.Repeat([]byte("y"), 100)) + `"}`))
		assert.Positive(t, cap(buf()), "pooled %v: a small buffer is kept for the next write", pooled)
		assert.Equal(t, pooled, tr.raw != nil, "the pool writes through the raw connection")
		client.Close()
		c.Close()
		srv.Close()
	}
}
