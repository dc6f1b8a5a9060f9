package ws_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChurnLosesNothing: 20 users connect and drop at random while 10,000
// messages that require an ack are sent to them. At the end every message is
// either confirmed by an ack (exactly once) or in the offline store, never both,
// never neither.
func TestChurnLosesNothing(t *testing.T) {
	const users, messages = 20, 10_000
	outcomes := make(chan hub.Outcome, 4*messages)
	e := newEnv(t, hub.Config{EnableAck: true, AckTimeout: 200 * time.Millisecond, MaxRetry: 2,
		OfflinePerUser: messages, OfflineTotal: messages,
		AckObserver: func(o hub.Outcome) { outcomes <- o }}, ws.Options{})

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			churn(t, e, fmt.Sprint("c", u), stop)
		}()
	}
	sent := make(map[string]bool, messages)
	for i := range messages {
		m := &protocol.Message{ID: e.hub.NewID(), Content: fmt.Sprint(i)}
		err := e.hub.SendToUser(ctx(t), fmt.Sprint("c", i%users), m)
		if err != nil {
			require.ErrorIs(t, err, hub.ErrUserOffline)
		}
		sent[m.ID] = true
	}
	close(stop)
	wg.Wait() // every client is gone: what is not acked must end in the store

	confirmed := map[string]int{}
	stored := map[string]bool{}
	require.Eventually(t, func() bool {
		for drained := false; !drained; {
			select {
			case o := <-outcomes:
				if o.Result == hub.Acknowledged {
					confirmed[o.MessageID]++
				}
			default:
				drained = true
			}
		}
		clear(stored)
		for u := range users {
			ms, err := e.hub.OfflineMessages(context.Background(), fmt.Sprint("c", u))
			require.NoError(t, err)
			for _, m := range ms {
				stored[m.ID] = true
			}
		}
		return len(confirmed)+len(stored) >= messages
	}, 20*time.Second, 20*time.Millisecond)

	for id, n := range confirmed {
		assert.Equal(t, 1, n, "confirmed once: %s", id)
		assert.False(t, stored[id], "confirmed and stored: %s", id)
		assert.True(t, sent[id], "confirmed but never sent: %s", id)
	}
	for id := range stored {
		assert.True(t, sent[id])
	}
	assert.Equal(t, messages, len(confirmed)+len(stored), "every message accounted for")
	t.Logf("%d confirmed by ack, %d in the offline store", len(confirmed), len(stored))
	assert.Positive(t, len(confirmed))
}

// churn connects as user, acks everything it reads for a random while, drops
// the connection (no close frame), waits a random while, and again, until stop.
func churn(t *testing.T, e *env, user string, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		c, resp, err := websocket.DefaultDialer.Dial(e.url("user_id="+user), nil)
		if err != nil {
			t.Error(err)
			return
		}
		resp.Body.Close()
		deadline := time.Now().Add(time.Duration(5+rand.IntN(40)) * time.Millisecond)
		_ = c.SetReadDeadline(deadline)
		for {
			_, data, err := c.ReadMessage()
			if err != nil {
				break
			}
			if m, err := protocol.Decode(data); err == nil && m.RequireAck && rand.IntN(10) > 0 { // 1 in 10 copies unanswered
				if c.WriteMessage(websocket.TextMessage, []byte(ackFrame(m.ID, "confirmed", ""))) != nil {
					break
				}
			}
		}
		c.Close()
		select {
		case <-stop:
			return
		case <-time.After(time.Duration(rand.IntN(20)) * time.Millisecond):
		}
	}
}
