package client_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/client"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// With WithBatch the server packs what is queued for the connection (here a
// stored backlog of 200) into JSON arrays; the HubClient hands each message to
// its handler in order and acks each one.
func TestAgainstTheHubBatchesArriveInOrderAndEachIsAcked(t *testing.T) {
	const n = 200
	var acked atomic.Int64
	h, url := realHub(t, hub.Config{EnableAck: true, AckObserver: func(o hub.Outcome) {
		if o.Result == hub.Acknowledged {
			acked.Add(1)
		}
	}})
	for i := range n {
		require.ErrorIs(t, h.SendToUser(context.Background(), "bea", &protocol.Message{Content: fmt.Sprint(i)}), hub.ErrUserOffline)
	}
	c := client.NewHubClient(url+"/?user_id=bea", client.WithBatch())
	var arrays, frames atomic.Int32
	c.OnTextMessageReceived(func(s string) {
		frames.Add(1)
		if strings.HasPrefix(s, "[") {
			arrays.Add(1)
		}
	})
	got := make(chan string, n)
	c.OnMessage(protocol.TypeText, func(m *protocol.Message) { got <- m.Content })
	require.NoError(t, c.ConnectContext(context.Background()))
	defer c.Close()
	for i := range n {
		select {
		case s := <-got:
			require.Equal(t, fmt.Sprint(i), s)
		case <-time.After(5 * time.Second):
			t.Fatalf("message %d never came", i)
		}
	}
	assert.Positive(t, arrays.Load(), "some frames were arrays")
	assert.Less(t, frames.Load(), int32(n), "fewer frames than messages")
	require.Eventually(t, func() bool { return acked.Load() == n }, 5*time.Second, 5*time.Millisecond, "acked %d of %d", acked.Load(), n)
}

// Without WithBatch every frame is one message, however much is queued.
func TestAgainstTheHubNoBatchesUnlessAsked(t *testing.T) {
	const n = 200
	h, url := realHub(t, hub.Config{})
	for i := range n {
		require.ErrorIs(t, h.SendToUser(context.Background(), "cid", &protocol.Message{Content: fmt.Sprint(i)}), hub.ErrUserOffline)
	}
	c := client.NewHubClient(url + "/?user_id=cid")
	var arrays atomic.Int32
	c.OnTextMessageReceived(func(s string) {
		if strings.HasPrefix(s, "[") {
			arrays.Add(1)
		}
	})
	got := make(chan string, n)
	c.OnMessage(protocol.TypeText, func(m *protocol.Message) { got <- m.Content })
	require.NoError(t, c.ConnectContext(context.Background()))
	defer c.Close()
	for i := range n {
		select {
		case s := <-got:
			require.Equal(t, fmt.Sprint(i), s)
		case <-time.After(5 * time.Second):
			t.Fatalf("message %d never came", i)
		}
	}
	assert.Zero(t, arrays.Load())
}
