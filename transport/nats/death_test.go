package nats_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNodeKilledMidTrafficLosesNothing: nodes n1 and n3 each send 2,500
// messages that need an ack to 10 users connected to n2. Midway n2 dies (its
// bus connection and its client connections drop, no goodbye); half the users
// reconnect to n3, the other half never come back. Every message ends
// confirmed exactly once, or in the offline store of the node that sent it —
// and some do (the users who never came back).
func TestNodeKilledMidTrafficLosesNothing(t *testing.T) {
	const users, messages, senders = 10, 5000, 50
	outcomes := make(chan hub.Outcome, 4*messages)
	nodes := newCluster(t, 3, hub.Config{EnableAck: true, AckTimeout: 200 * time.Millisecond, MaxRetry: 3,
		OfflinePerUser: messages, OfflineTotal: messages, AckObserver: func(o hub.Outcome) { outcomes <- o }})
	victim, heir := nodes[1], nodes[2]
	origins := []*node{nodes[0], heir} // the victim sends nothing: what it accepts dies with it

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			route := []*node{victim, heir}
			if u%2 == 1 {
				route = route[:1] // never comes back
			}
			ackingUser(t, fmt.Sprint("u", u), route, stop)
		}()
	}
	names := make([]string, users)
	for i := range names {
		names[i] = fmt.Sprint("u", i)
	}
	seen(t, nodes, names...)

	var ids sync.Map
	var done atomic.Int64
	var swg sync.WaitGroup
	for s := range senders {
		swg.Add(1)
		go func() {
			defer swg.Done()
			origin := origins[s%2]
			for i := s; i < messages; i += senders {
				m := &protocol.Message{ID: origin.hub.NewID(), Content: fmt.Sprint(i)}
				ids.Store(m.ID, true)
				_, err := origin.hub.SendToUserWithAck(context.Background(), fmt.Sprint("u", i%users), m)
				if err != nil && !errors.Is(err, hub.ErrMaxRetry) && !errors.Is(err, hub.ErrUserOffline) {
					t.Errorf("message %d: %v", i, err)
				}
				done.Add(1)
			}
		}()
	}
	require.Eventually(t, func() bool { return done.Load() >= messages/3 }, 20*time.Second, time.Millisecond)
	victim.bus.Conn().Close() // the node's bus dies without a word (no goodbye reaches anyone) …
	go victim.stop()          // … and its sockets close: half the users move to n3
	swg.Wait()
	close(stop)
	wg.Wait()

	confirmed := map[string]int{}
	stored := map[string]bool{}
	results := map[hub.Result]int{}
	require.Eventually(t, func() bool {
		for drained := false; !drained; {
			select {
			case o := <-outcomes:
				results[o.Result]++
				if o.Result == hub.Acknowledged {
					confirmed[o.MessageID]++
				}
			default:
				drained = true
			}
		}
		clear(stored)
		for _, origin := range origins {
			for _, u := range names {
				ms, err := origin.hub.OfflineMessages(context.Background(), u)
				require.NoError(t, err)
				for _, m := range ms {
					stored[m.ID] = true
				}
			}
		}
		return len(confirmed)+len(stored) >= messages
	}, 20*time.Second, 20*time.Millisecond)
	for id, n := range confirmed {
		assert.Equal(t, 1, n, "confirmed once: %s", id)
		assert.False(t, stored[id], "confirmed and stored: %s", id)
	}
	total := 0
	ids.Range(func(k, _ any) bool {
		total++
		_, ok := confirmed[k.(string)]
		assert.True(t, ok || stored[k.(string)], "lost: %s", k)
		return true
	})
	assert.Equal(t, messages, total)
	assert.Positive(t, len(stored), "the offline branch: users who never came back")
	assert.Positive(t, len(confirmed))
	t.Logf("%d confirmed, %d in the offline stores; outcomes %v", len(confirmed), len(stored), results)
}

// ackingUser stays connected, to the first node that takes it, acking every
// message; when its connection drops it moves on to the next node.
// (httptest's CloseClientConnections does not reach hijacked WebSocket
// connections, hence the victim's stop above.)
func ackingUser(t *testing.T, user string, nodes []*node, stop <-chan struct{}) {
	for _, nd := range nodes {
		c, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(nd.srv.URL, "http")+"/?user_id="+user, nil)
		if err != nil {
			continue
		}
		resp.Body.Close()
		gone := make(chan struct{})
		go func() {
			select {
			case <-stop:
				c.Close()
			case <-gone:
			}
		}()
		for {
			_, data, err := c.ReadMessage()
			if err != nil {
				break
			}
			if m, err := protocol.Decode(data); err == nil && m.RequireAck {
				_ = c.WriteMessage(websocket.TextMessage, []byte(`{"type":"ack","message_id":"`+m.ID+`"}`))
			}
		}
		close(gone)
		c.Close()
		select {
		case <-stop:
			return
		default:
		}
	}
	<-stop
}
