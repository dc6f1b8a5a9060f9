package session_test

import (
	"sync/atomic"
	"testing"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// "At most half full" counts bytes too: a few big frames hold the room back
// however few they are, and exactly half the bytes is room.
func TestWhenRoomCountsBytes(t *testing.T) {
	o := session.NewOutbox(100, 100)
	for _, c := range []string{"a", "b", "c", "d"} {
		require.True(t, o.Offer(frame(c, 25)))
	}
	require.False(t, o.Offer(frame("e", 1)), "byte-full")
	var calls atomic.Int32
	o.WhenRoom(func() { calls.Add(1) })
	o.Written(<-o.C()) // 75 of 100 bytes in 3 of 100 frames
	assert.Zero(t, calls.Load(), "three frames, but three quarters of the bytes: no room")
	o.Written(<-o.C()) // 50 of 100 bytes
	assert.EqualValues(t, 1, calls.Load(), "half the bytes is room")
	assert.True(t, o.Offer(frame("e", 50)), "and the bytes are free again")
}

// Drain frees the bytes of what it hands back: an outbox drained full takes
// as many bytes again (the byte bound, not only the frame bound).
func TestDrainFreesTheBytes(t *testing.T) {
	o := session.NewOutbox(8, 40)
	for range 4 {
		require.True(t, o.Offer(frame("x", 10)))
	}
	assert.Len(t, o.Drain(), 4)
	for range 4 {
		assert.True(t, o.Offer(frame("y", 10)), "the drained bytes are free")
	}
}
