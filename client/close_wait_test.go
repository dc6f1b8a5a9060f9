package client

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Close called from an application goroutine waits for the client's
// goroutines, even while a callback is still running on one of them: the
// callback woke the application (a channel send) and has not returned yet.
// The package example does exactly this and, on a loaded machine, lost its
// "closed" and "disconnected" lines when Close took the running callback for
// a call from inside it and returned at once.
func TestCloseWaitsWhileACallbackThatWokeTheCallerIsStillRunning(t *testing.T) {
	s := newServer(t, echoHandler)
	c := New(s.url(), WithConfig(fast()))
	got, release := make(chan string, 1), make(chan struct{})
	c.OnTextMessageReceived(func(m string) {
		got <- m
		<-release // still inside the callback when the caller goes on
	})
	var closed, disconnected atomic.Bool
	c.OnClose(func(int, string) { closed.Store(true) })
	c.OnDisconnected(func(error) { disconnected.Store(true) })
	require.NoError(t, c.ConnectContext(context.Background()))
	require.NoError(t, c.SendTextMessage("hello"))
	require.Equal(t, "hello", recvValue(t, got))

	returned := make(chan bool, 1)
	go func() {
		c.CloseWithMsg("bye")
		returned <- closed.Load() && disconnected.Load()
	}()
	// Close must not return while the callback holds the reader: it waits
	// for the goroutines. 200 ms is far longer than a Close that returns
	// at once takes; a Close that waits is never early, whatever the load.
	select {
	case <-returned:
		t.Fatal("Close returned while a callback was still running on the client's reader")
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	select {
	case both := <-returned:
		assert.True(t, both, "OnClose and OnDisconnected ran before Close returned")
	case <-time.After(waitFor):
		t.Fatal("Close did not return once the callback had")
	}
}

// A goroutine's id as goroutineID reads it: distinct for two goroutines,
// the same for one goroutine asked twice.
func TestGoroutineIDTellsGoroutinesApart(t *testing.T) {
	mine := goroutineID()
	require.NotZero(t, mine)
	assert.Equal(t, mine, goroutineID())
	other := make(chan uint64)
	go func() { other <- goroutineID() }()
	assert.NotEqual(t, mine, <-other)
}

func recvValue[T any](t *testing.T, c <-chan T) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(waitFor):
		t.Fatal("nothing arrived")
		var zero T
		return zero
	}
}
