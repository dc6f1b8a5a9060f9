package session_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/stretchr/testify/assert"
	"unsafe"
)

// A shared frame is framed once per transport kind, even when a second writer
// asks for it while the first is still building it: the second waits for that
// build instead of building its own (which counted a broadcast's framing twice
// now and then in TestBroadcastEncodesOnceForAThousandConnections).
func TestAFrameIsEncodedOnceWhileASecondWriterAsks(t *testing.T) {
	f := &session.Frame{Data: []byte(`{"content":"x"}`), Shared: true}
	var builds atomic.Int32
	started, release := make(chan struct{}), make(chan struct{})
	first := make(chan any, 1)
	go func() {
		first <- f.Encoded(session.KindWebSocket, func(*session.Frame) any {
			builds.Add(1)
			close(started)
			<-release
			return "framed"
		})
	}()
	<-started
	second := make(chan any, 1)
	go func() {
		second <- f.Encoded(session.KindWebSocket, func(*session.Frame) any { builds.Add(1); return "framed again" })
	}()
	// the second call must wait for the first build: if it returns while that
	// build is held, it built its own (a slow machine may let it start late,
	// which only makes this check miss, never fail wrongly)
	select {
	case v := <-second:
		t.Fatalf("the second writer did not wait for the build under way: got %v", v)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	assert.Equal(t, "framed", <-first)
	assert.Equal(t, "framed", <-second)
	assert.Equal(t, int32(1), builds.Load())
	assert.Equal(t, "framed", f.Encoded(session.KindWebSocket, func(*session.Frame) any { return "never" }))
	assert.Equal(t, "sse", f.Encoded(session.KindSSE, func(*session.Frame) any { return "sse" }), "each kind its own")
}

// A frame to one connection carries no room for encodings (every p2p message
// is one): a Frame is 64 bytes, its size class, not 128.
func TestAFrameIsSmall(t *testing.T) {
	assert.LessOrEqual(t, unsafe.Sizeof(session.Frame{}), uintptr(64))
}
