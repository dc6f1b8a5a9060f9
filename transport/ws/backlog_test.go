package ws_test

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
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

// A user reconnecting to a backlog four times its outbox (400 times with
// WSC_BIG=1) gets all of it, in order, then what was sent live while the backlog flowed: the backlog follows
// as the writer drains instead of overflowing the outbox. With acks on, every
// stored message is confirmed once.
func TestOfflineBacklogArrivesWholeOverOneConnection(t *testing.T) {
	for _, withAck := range []bool{false, true} {
		t.Run(fmt.Sprint("ack=", withAck), func(t *testing.T) {
			stored, live := 1000, 50
			if os.Getenv("WSC_BIG") != "" {
				stored = 100_000
			}
			outcomes := make(chan hub.Outcome, 2*(stored+live))
			// the byte bounds too: 100,000 of these frames are ~20 MB, past the
			// default 8 MiB per user, which would evict the oldest before the user comes
			e := newEnv(t, hub.Config{EnableAck: withAck, AckTimeout: time.Minute, OfflinePerUser: stored, OfflineTotal: stored,
				OfflinePerUserBytes: 64 << 20, OfflineTotalBytes: 64 << 20,
				AckObserver: func(o hub.Outcome) { outcomes <- o }}, ws.Options{})
			for i := range stored {
				err := e.hub.SendToUser(ctx(t), "back", &protocol.Message{Content: strconv.Itoa(i)})
				require.ErrorIs(t, err, hub.ErrUserOffline)
			}
			c := e.dial(t, "user_id=back")
			e.waitConns(t, 1)
			for i := stored; i < stored+live; i++ { // live, while the backlog flows
				require.NoError(t, e.hub.SendToUser(ctx(t), "back", &protocol.Message{Content: strconv.Itoa(i)}))
			}
			for want := range stored + live {
				m := read(t, c)
				require.Equal(t, strconv.Itoa(want), m.Content, "in order, stored first")
				if withAck {
					require.True(t, m.RequireAck)
					send(t, c, ackFrame(m.ID, "confirmed", ""))
				}
			}
			left, err := e.hub.OfflineMessages(ctx(t), "back")
			require.NoError(t, err)
			assert.Empty(t, left)
			if withAck {
				confirmed := map[string]int{}
				for len(confirmed) < stored+live {
					select {
					case o := <-outcomes:
						if o.Result == hub.Offline {
							continue // a stored message's first outcome: it went to the offline path
						}
						require.Equal(t, hub.Acknowledged, o.Result)
						confirmed[o.MessageID]++
					case <-time.After(5 * time.Second):
						t.Fatalf("%d of %d confirmed", len(confirmed), stored+live)
					}
				}
				for id, n := range confirmed {
					assert.Equal(t, 1, n, id)
				}
			}
		})
	}
}

// A reader that stops in the middle of its backlog is closed as a slow
// consumer, and what it did not read goes back to the store: read + stored
// covers every message. Then a new connection gets the rest.
func TestBacklogReaderThatStopsKeepsTheRest(t *testing.T) {
	const stored = 2000
	e := newEnv(t, hub.Config{MessageBufferSize: 32, OfflinePerUser: stored}, ws.Options{WriteWait: 300 * time.Millisecond})
	for i := range stored {
		require.ErrorIs(t, e.hub.SendToUser(ctx(t), "half", &protocol.Message{Content: strconv.Itoa(i), Data: map[string]any{"pad": pad}}), hub.ErrUserOffline)
	}
	c, resp, err := smallReadBuffer.Dial(e.url("user_id=half"), nil)
	require.NoError(t, err)
	resp.Body.Close()
	defer c.Close()
	got := map[string]bool{}
	for range 100 { // then stop reading
		got[read(t, c).Content] = true
	}
	e.waitConns(t, 0) // the writer's deadline cuts it loose
	rest, _ := readRest(c)
	for _, m := range rest {
		got[m.Content] = true
	}
	// what the connection never wrote is stored once its session says Gone
	var left []*protocol.Message
	require.Eventually(t, func() bool {
		var err error
		if left, err = e.hub.OfflineMessages(ctx(t), "half"); err != nil {
			return false
		}
		n := len(got)
		for _, m := range left {
			if !got[m.Content] {
				n++
			}
		}
		return n == stored
	}, 5*time.Second, 5*time.Millisecond, "read or stored, every one")
	for _, m := range left {
		got[m.Content] = true
	}
	assert.Equal(t, stored, len(got), "read or stored, every one")
	assert.Less(t, len(left), stored, "some were written")

	again := e.dial(t, "user_id=half")
	for _, want := range left {
		require.Equal(t, want.Content, read(t, again).Content, "the rest, in order")
	}
}

// 1,000 users with 20 stored messages each (100 each with WSC_BIG=1: 100,000
// in all) connect at once and read everything, nothing lost or duplicated.
func TestManyBacklogsAtOnce(t *testing.T) {
	users, per := 1000, 20
	if os.Getenv("WSC_BIG") != "" {
		per = 100
	}
	e := newEnv(t, hub.Config{OfflineTotal: users * per}, ws.Options{})
	for i := range users * per {
		err := e.hub.SendToUser(ctx(t), fmt.Sprint("m", i%users), &protocol.Message{Content: strconv.Itoa(i / users)})
		require.ErrorIs(t, err, hub.ErrUserOffline)
	}
	var wg sync.WaitGroup
	errs := make(chan error, users)
	for u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- readBacklog(e, fmt.Sprint("m", u), per)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	s, err := e.hub.Stats(ctx(t))
	require.NoError(t, err)
	assert.Zero(t, s.OfflineStored)
	t.Logf("%d stored messages delivered to %d users", users*per, users)
}

func readBacklog(e *env, user string, n int) error {
	c, resp, err := websocket.DefaultDialer.Dial(e.url("user_id="+user), nil)
	if err != nil {
		return err
	}
	resp.Body.Close()
	defer c.Close()
	for want := range n {
		_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
		_, data, err := c.ReadMessage()
		if err != nil {
			return fmt.Errorf("%s: after %d: %w", user, want, err)
		}
		m, err := protocol.Decode(data)
		if err != nil || m.Content != strconv.Itoa(want) {
			return fmt.Errorf("%s: want %d, got %q (%v)", user, want, data, err)
		}
	}
	return nil
}

// A client that never reads is closed as a slow consumer, and the accounting
// is exact: every message sent to it is either among the frames it can still
// read from its socket or in the offline store. The sending stops at the
// close (the first send answered "offline"), so nothing sent later can make
// up for a lost frame.
func TestSlowConsumerAccountingIsExact(t *testing.T) {
	e := newEnv(t, hub.Config{MessageBufferSize: 64, OfflinePerUser: 100_000, OfflineTotal: 100_000}, ws.Options{WriteWait: 300 * time.Millisecond})
	slow, resp, err := smallReadBuffer.Dial(e.url("user_id=slow"), nil)
	require.NoError(t, err)
	resp.Body.Close()
	defer slow.Close()
	e.waitConns(t, 1)

	var sent []string
	for i := 0; ; i++ {
		require.Less(t, i, 100_000, "never closed as a slow consumer")
		m := &protocol.Message{ID: e.hub.NewID(), Content: strconv.Itoa(i), Data: map[string]any{"pad": pad}}
		err := e.hub.SendToUser(ctx(t), "slow", m)
		sent = append(sent, m.ID)
		if errors.Is(err, hub.ErrUserOffline) {
			break // the first send after the close: stored at once
		}
		require.NoError(t, err)
	}
	e.waitConns(t, 0)

	// (its 3002 close frame cannot pass a socket nobody reads: the writer is
	// cut loose, the close is counted below)
	read, _ := readRest(slow)
	// the hub stores what the connection never wrote once its session says
	// Gone, which may come a moment after the socket closed: wait for it
	got := map[string]int{}
	var stored []*protocol.Message
	require.Eventually(t, func() bool {
		var err error
		if stored, err = e.hub.OfflineMessages(ctx(t), "slow"); err != nil {
			return false
		}
		clear(got)
		for _, m := range read {
			got[m.ID]++
		}
		for _, m := range stored {
			got[m.ID]++
		}
		return len(got) >= len(sent)
	}, 5*time.Second, 5*time.Millisecond)
	for _, id := range sent {
		assert.Positive(t, got[id], "neither read nor stored: %s", id)
	}
	assert.Equal(t, len(sent), len(got), "nothing but what was sent")
	t.Logf("sent %d: %d read by the client, %d stored", len(sent), len(read), len(stored))
	s, err := e.hub.Stats(ctx(t))
	require.NoError(t, err)
	// closed as a slow consumer, or cut loose first by the writer's deadline
	// when the machine is slow: the accounting above holds either way
	assert.LessOrEqual(t, s.SlowConsumerCloses, int64(1))
}

var pad = strings.Repeat("p", 2048)

// readRest reads the content frames still in c's socket until it ends, and
// the close code it ended with (0: none).
func readRest(c *websocket.Conn) ([]*protocol.Message, int) {
	var out []*protocol.Message
	for {
		_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
		_, data, err := c.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				return out, ce.Code
			}
			return out, 0
		}
		if m, err := protocol.Decode(data); err == nil && m.Type.IsContent() {
			out = append(out, m)
		}
	}
}
