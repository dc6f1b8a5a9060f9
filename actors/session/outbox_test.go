package session_test

import (
	"sync/atomic"
	"testing"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func frame(content string, size int) *session.Frame {
	return &session.Frame{Msg: &protocol.Message{Content: content}, Data: make([]byte, size)}
}

func TestOutboxBoundsFramesAndBytes(t *testing.T) {
	o := session.NewOutbox(3, 100)
	assert.True(t, o.Offer(frame("a", 60)))
	assert.False(t, o.Offer(frame("b", 60)), "over the byte bound")
	assert.True(t, o.Offer(frame("c", 20)))
	assert.True(t, o.Offer(frame("d", 20)))
	assert.False(t, o.Offer(frame("e", 1)), "over the frame bound")
	big := session.NewOutbox(3, 10)
	assert.True(t, big.Offer(frame("huge", 50)), "a frame over the byte bound passes an empty outbox")
}

// Drain hands back, oldest first, the batch the writer returned and then
// what is still queued, and frees their bytes.
func TestDrainReturnsTheFailedBatchFirst(t *testing.T) {
	o := session.NewOutbox(8, 1<<20)
	for _, c := range []string{"1", "2", "3", "4"} {
		require.True(t, o.Offer(frame(c, 10)))
	}
	batch := []*session.Frame{<-o.C(), <-o.C()} // the writer takes two and fails
	o.Return(batch)
	var got []string
	for _, f := range o.Drain() {
		got = append(got, f.Msg.Content)
	}
	assert.Equal(t, []string{"1", "2", "3", "4"}, got)
	assert.Empty(t, o.Drain(), "drained once")
	for range 8 {
		require.True(t, o.Offer(frame("x", 10)), "the bytes were freed")
	}
}

// WhenRoom fires once, from Written, when the outbox is half empty; at once
// when it already is; never from Drain.
func TestWhenRoomFiresOnceAtHalf(t *testing.T) {
	o := session.NewOutbox(4, 1<<20)
	for range 4 {
		require.True(t, o.Offer(frame("f", 1)))
	}
	var calls atomic.Int32
	o.WhenRoom(func() { calls.Add(1) })
	o.Written(<-o.C()) // 3 left: not half yet
	assert.Zero(t, calls.Load())
	o.Written(<-o.C()) // 2 left: half
	assert.EqualValues(t, 1, calls.Load())
	o.Written(<-o.C())
	assert.EqualValues(t, 1, calls.Load(), "once")

	o.WhenRoom(func() { calls.Add(1) })
	assert.EqualValues(t, 2, calls.Load(), "room already: at once")

	for range 3 {
		require.True(t, o.Offer(frame("f", 1)))
	}
	o.WhenRoom(func() { calls.Add(1) })
	o.Drain()
	assert.EqualValues(t, 2, calls.Load(), "a drain is no room for the writer")
}
