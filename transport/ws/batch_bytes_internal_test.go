package ws

import (
	"bytes"
	"net"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// heldFirstConn holds its first Write until the test lets it go; every write
// (the first included) is passed on to wrote.
type heldFirstConn struct {
	net.Conn               // nil: only Write and SetWriteDeadline are called
	writing  chan struct{} // closed when the first Write has started
	release  chan struct{}
	wrote    chan []byte
	started  bool
}

func (c *heldFirstConn) SetWriteDeadline(time.Time) error { return nil }

func (c *heldFirstConn) Write(b []byte) (int, error) {
	if !c.started { // the writer's goroutine only: one writer at a time
		c.started = true
		close(c.writing)
		<-c.release
	}
	c.wrote <- bytes.Clone(b)
	return len(b), nil
}

// A batch stops once it holds maxBatch bytes: frames queued while the writer
// was busy, exactly maxBatch bytes of them and one more, go as one write of
// the maxBatch bytes, then one of the last frame.
func TestABatchStopsAtMaxBatchBytes(t *testing.T) {
	nc := &heldFirstConn{writing: make(chan struct{}), release: make(chan struct{}), wrote: make(chan []byte, 8)}
	// a gorilla Conn of no socket: the transport writes to nc only
	tr := newTransport(&Server{opts: Options{}.withDefaults()}, &websocket.Conn{}, session.NewOutbox(16, 1<<20), 1<<20)
	tr.nc = nc
	const parts = 4
	data := bytes.Repeat([]byte("x"), maxBatch/parts)
	send := func(id string) {
		t.Helper()
		require.True(t, tr.Send(&session.Frame{Msg: &protocol.Message{ID: id}, Data: data}))
	}
	next := func() []byte {
		t.Helper()
		select {
		case b := <-nc.wrote:
			return b
		case <-time.After(10 * time.Second):
			t.Fatal("no write")
			return nil
		}
	}

	send("first")
	<-nc.writing // the writer holds the first frame's write
	for i := range parts + 1 {
		send(string(rune('a' + i)))
	}
	close(nc.release)
	frame := len(appendFrame(nil, opText, data))
	assert.Equal(t, frame, len(next()), "the first frame alone")
	assert.Equal(t, parts*frame, len(next()), "maxBatch bytes of frames in one write")
	assert.Equal(t, frame, len(next()), "the frame after them in the next")
	require.Eventually(t, func() bool { return tr.writer.Load() == writerIdle }, 10*time.Second, time.Millisecond)
	assert.Empty(t, nc.wrote)
}
