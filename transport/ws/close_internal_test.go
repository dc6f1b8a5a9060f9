package ws

import (
	"bytes"
	"encoding/binary"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordConn records the write deadlines set on it and the writes made to it.
type recordConn struct {
	net.Conn  // nil: only Write and SetWriteDeadline are called
	mu        sync.Mutex
	deadlines []time.Time
	writes    [][]byte
}

func (c *recordConn) SetWriteDeadline(d time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.deadlines = append(c.deadlines, d)
	return nil
}

func (c *recordConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writes = append(c.writes, bytes.Clone(b))
	return len(b), nil
}

// closingTransport is a transport on nc with no writer goroutine (the test
// calls the writer's functions itself).
func closingTransport(nc net.Conn, opts Options) *transport {
	tr := &transport{h: &Server{opts: opts.withDefaults()}, nc: nc,
		closeReq: make(chan struct{}), readerDone: make(chan struct{})}
	tr.writer.Store(writerStopped) // Close's kick starts no writer
	return tr
}

// Close cuts a connection loose only when its peer is gone (code 0) or does
// not read (3002): an immediate write deadline fails the write in progress,
// and the writer starts no other, so a writer to a peer that does not read
// is not held for WriteWait. Any other close lets the write in progress finish
// and the writer go on to the close frame.
func TestOnlyAGonePeerOrASlowConsumerIsCutLoose(t *testing.T) {
	for _, tc := range []struct {
		code int
		cut  bool
	}{
		{0, true},
		{protocol.CloseSlowConsumer, true},
		{protocol.CloseNormal, false},
		{protocol.CloseMessageTooBig, false},
		{protocol.CloseInvalidData, false},
	} {
		nc := &recordConn{}
		tr := closingTransport(nc, Options{})
		require.False(t, tr.cut(), "code %d: not cut before Close", tc.code)
		tr.Close(tc.code, "")
		closed := time.Now()
		if !tc.cut {
			assert.Empty(t, nc.deadlines, "code %d: no deadline set by Close", tc.code)
			assert.False(t, tr.cut(), "code %d", tc.code)
			require.NoError(t, tr.write([]byte("x")), "code %d: a write still goes", tc.code)
			assert.Len(t, nc.writes, 1, "code %d", tc.code)
			continue
		}
		if assert.Len(t, nc.deadlines, 1, "code %d: Close sets a write deadline", tc.code) {
			assert.False(t, nc.deadlines[0].After(closed), "code %d: an immediate one", tc.code)
		}
		assert.True(t, tr.cut(), "code %d", tc.code)
		assert.ErrorIs(t, tr.write([]byte("x")), errCut, "code %d: no new write", tc.code)
		assert.Empty(t, nc.writes, "code %d", tc.code)
		assert.Len(t, nc.deadlines, 1, "code %d: nor a new deadline", tc.code)
	}
}

// sendClose writes the close frame, then gives the peer CloseGrace to answer
// (the reader ends when the peer's close comes): the frame is read before the
// TCP connection goes. The clock is the test's: no timing.
func TestSendCloseWaitsForThePeersCloseUpToCloseGrace(t *testing.T) {
	const grace = 3 * time.Second
	nc := &recordConn{}
	tr := closingTransport(nc, Options{CloseGrace: grace})
	tr.closeCode, tr.closeText = protocol.CloseNormal, "bye"

	// the peer does not answer: sendClose waits for the grace to pass
	var waited []time.Duration
	fired := make(chan time.Time, 1)
	fired <- time.Now()
	before := time.Now()
	tr.sendClose(func(d time.Duration) <-chan time.Time { waited = append(waited, d); return fired })
	after := time.Now()
	require.Len(t, nc.writes, 1)
	frame := nc.writes[0]
	require.Len(t, frame, 2+2+3)
	assert.Equal(t, []byte{finBit | opClose, 5}, frame[:2], "one close frame")
	assert.Equal(t, uint16(protocol.CloseNormal), binary.BigEndian.Uint16(frame[2:4]))
	assert.Equal(t, "bye", string(frame[4:]))
	require.Len(t, nc.deadlines, 1)
	assert.False(t, nc.deadlines[0].Before(before.Add(grace)) || nc.deadlines[0].After(after.Add(grace)),
		"the close frame's write deadline is the grace")
	assert.Equal(t, []time.Duration{grace}, waited, "the grace waited for")
	assert.Empty(t, fired, "sendClose returned once the grace had passed")

	// the peer answers (the reader ends): sendClose returns without the grace
	close(tr.readerDone)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tr.sendClose(func(time.Duration) <-chan time.Time { return nil }) // a grace that never passes
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("sendClose did not return when the reader ended")
	}
	assert.Len(t, nc.writes, 2)

	// the peer is gone (code 0): nothing is written, nothing waited for
	nc = &recordConn{}
	tr = closingTransport(nc, Options{CloseGrace: grace})
	tr.sendClose(func(d time.Duration) <-chan time.Time { t.Error("waited for a gone peer"); return nil })
	assert.Empty(t, nc.writes)
}
