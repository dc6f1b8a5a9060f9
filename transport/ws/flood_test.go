package ws_test

import (
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// One client floods another with 10,000 frames as fast as it can write (no
// rate limit here). The receiver reads as fast as loopback allows and is
// never closed as a slow consumer: past its queue's high-water mark the
// sender gets 4029 error frames instead (and, when it does not read those
// either, is closed itself). Every frame the hub took from the sender is
// accounted for: read by the receiver, or refused to the sender.
func TestAFloodNeverHarmsAReadingReceiver(t *testing.T) {
	const flood = 10_000
	e := newEnv(t, hub.Config{MessageBufferSize: 64}, ws.Options{})
	receiver := e.dial(t, "user_id=calm")
	sender := e.dial(t, "user_id=flooder")
	e.waitConns(t, 2)

	var got atomic.Int64
	readDone := make(chan error, 1)
	go func() {
		for {
			_ = receiver.SetReadDeadline(time.Now().Add(3 * time.Second))
			_, data, err := receiver.ReadMessage()
			if err != nil {
				readDone <- err
				return
			}
			if m, err := protocol.Decode(data); err == nil && m.From == "flooder" {
				got.Add(1)
			}
		}
	}()
	refusals := make(chan int, 1)
	go func() {
		n := 0
		for {
			_ = sender.SetReadDeadline(time.Now().Add(3 * time.Second))
			_, data, err := sender.ReadMessage()
			if err != nil {
				refusals <- n
				return
			}
			if m, err := protocol.Decode(data); err == nil && m.Code == protocol.CodeQueueFull {
				n++
			}
		}
	}()
	sent := 0
	for i := range flood {
		if sender.WriteMessage(websocket.TextMessage, []byte(fmt.Sprintf(`{"to":"calm","content":%q}`, strconv.Itoa(i)))) != nil {
			break // the server closed the flooder
		}
		sent++
	}
	refused := <-refusals // the sender's socket went quiet for 3 s: every answer is in
	err := <-readDone
	require.ErrorContains(t, err, "timeout", "the receiver was not closed: it only ran out of frames")
	users, err := e.hub.OnlineUsers(ctx(t))
	require.NoError(t, err)
	assert.Contains(t, users, "calm")
	s, err := e.hub.Stats(ctx(t))
	require.NoError(t, err)
	assert.EqualValues(t, s.MessagesReceived, got.Load()+s.FloodRefused, "every frame the hub took: read or refused")
	assert.Positive(t, s.FloodRefused)
	assert.LessOrEqual(t, int64(refused), s.FloodRefused)
	t.Logf("sent %d: %d delivered, %d refused with 4029 (%d of those read by the sender)", sent, got.Load(), s.FloodRefused, refused)
}

// A flood to a user with no connection stops at half its offline quota: what
// others left for it is never evicted to make room.
func TestAFloodNeverEvictsOthersStoredMessages(t *testing.T) {
	e := newEnv(t, hub.Config{OfflinePerUser: 100}, ws.Options{})
	var kept []string
	for i := range 10 {
		m := &protocol.Message{ID: e.hub.NewID(), Content: "from a friend " + strconv.Itoa(i)}
		require.ErrorIs(t, e.hub.SendToUser(ctx(t), "away", m), hub.ErrUserOffline)
		kept = append(kept, m.ID)
	}
	sender := e.dial(t, "user_id=flooder")
	e.waitConns(t, 1)
	for i := range 500 {
		send(t, sender, fmt.Sprintf(`{"to":"away","content":"spam %d"}`, i))
	}
	require.Eventually(t, func() bool {
		s, err := e.hub.Stats(ctx(t))
		return err == nil && s.FloodRefused > 0 && s.MessagesReceived >= 500
	}, 10*time.Second, 5*time.Millisecond)
	stored, err := e.hub.OfflineMessages(ctx(t), "away")
	require.NoError(t, err)
	assert.LessOrEqual(t, len(stored), 50)
	for i, id := range kept {
		assert.Equal(t, id, stored[i].ID, "the friend's messages are all still there, first")
	}
}
