package sse_test

import (
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/sse"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A stream opened on a backlog four times its buffer gets all of it in order,
// then what was sent live meanwhile; with acks on (posted back), each is
// confirmed.
func TestOfflineBacklogArrivesWholeOverOneStream(t *testing.T) {
	for _, withAck := range []bool{false, true} {
		t.Run(fmt.Sprint("ack=", withAck), func(t *testing.T) {
			const stored, live = 1000, 50
			confirmed := make(chan string, stored+live)
			e := newEnv(t, hub.Config{EnableAck: withAck, AckTimeout: time.Minute, AckObserver: func(o hub.Outcome) {
				if o.Result == hub.Acknowledged {
					confirmed <- o.MessageID
				}
			}}, sse.Options{})
			for i := range stored {
				require.ErrorIs(t, e.hub.SendToUser(ctx(t), "back", &protocol.Message{Content: strconv.Itoa(i)}), hub.ErrUserOffline)
			}
			s := e.open(t, "user_id=back", nil)
			e.waitConns(t, 0, 1)
			for i := stored; i < stored+live; i++ {
				require.NoError(t, e.hub.SendToUser(ctx(t), "back", &protocol.Message{Content: strconv.Itoa(i)}))
			}
			var acks []string
			for want := range stored + live {
				_, m := s.msg(t)
				require.Equal(t, strconv.Itoa(want), m.Content, "in order, stored first")
				if withAck {
					acks = append(acks, fmt.Sprintf(`{"type":"ack","message_id":%q,"ack_status":"confirmed"}`, m.ID))
					if len(acks) == 100 {
						s.send(t, "["+strings.Join(acks, ",")+"]")
						acks = nil
					}
				}
			}
			if len(acks) > 0 {
				s.send(t, "["+strings.Join(acks, ",")+"]")
			}
			if withAck {
				once := map[string]bool{}
				for len(once) < stored+live {
					select {
					case id := <-confirmed:
						require.False(t, once[id], "confirmed twice: %s", id)
						once[id] = true
					case <-time.After(5 * time.Second):
						t.Fatalf("%d of %d confirmed", len(once), stored+live)
					}
				}
			}
			left, err := e.hub.OfflineMessages(ctx(t), "back")
			require.NoError(t, err)
			assert.Empty(t, left)
		})
	}
}

// A stream whose client never reads is closed as a slow consumer, and the
// accounting is exact: every message sent to it is among the events still in
// its socket or in the offline store. Sending stops at the close. With small
// messages the socket buffers take most of them; with big ones the writer is
// stuck in a write when the close comes, and that frame goes back too.
func TestSlowStreamAccountingIsExact(t *testing.T) {
	for _, size := range []int{4 << 10, 256 << 10} {
		t.Run(fmt.Sprint(size), func(t *testing.T) { slowStreamAccounting(t, size) })
	}
}

func slowStreamAccounting(t *testing.T, size int) {
	e := newEnv(t, hub.Config{SSEMessageBuffer: 16, MaxQueueBytes: 64 << 20, OfflinePerUser: 100_000, OfflineTotal: 100_000},
		sse.Options{WriteWait: 300 * time.Millisecond})
	c, err := smallReadBuffer.Dial("tcp", strings.TrimPrefix(e.srv.URL, "http://"))
	require.NoError(t, err)
	defer c.Close()
	_, err = fmt.Fprintf(c, "GET /sse?user_id=slow HTTP/1.1\r\nHost: %s\r\n\r\n", e.srv.Listener.Addr())
	require.NoError(t, err)
	e.waitConns(t, 0, 1)

	pad := map[string]any{"pad": strings.Repeat("y", size)}
	var sent []string
	for i := 0; ; i++ {
		require.Less(t, i, 100_000, "never closed as a slow consumer")
		m := &protocol.Message{ID: e.hub.NewID(), Content: strconv.Itoa(i), Data: pad}
		err := e.hub.SendToUser(ctx(t), "slow", m)
		sent = append(sent, m.ID)
		if errors.Is(err, hub.ErrUserOffline) {
			break
		}
		require.NoError(t, err)
	}
	e.waitConns(t, 0, 0)
	// read only once the stream's writer has given up (a blocked write times
	// out): reading earlier would let a stuck write through
	require.Eventually(t, func() bool { return e.sse.Streams() == 0 }, 5*time.Second, time.Millisecond)

	read := readRawIDs(t, c)
	// the hub stores what the stream never wrote once its session says Gone,
	// a moment after the stream ended: wait for it
	got := map[string]int{}
	var stored []*protocol.Message
	require.Eventually(t, func() bool {
		var err error
		if stored, err = e.hub.OfflineMessages(ctx(t), "slow"); err != nil {
			return false
		}
		clear(got)
		for _, id := range read {
			got[id]++
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
	st, err := e.hub.Stats(ctx(t))
	require.NoError(t, err)
	// closed as a slow consumer (3002), or cut loose first by the writer's
	// deadline when the machine is slow: the accounting above holds either way
	assert.LessOrEqual(t, st.SlowConsumerCloses, int64(1))
}

// readRawIDs reads what is left of a raw HTTP/1.1 SSE response and returns
// the ids of its message events.
func readRawIDs(t *testing.T, c interface {
	Read([]byte) (int, error)
	SetReadDeadline(time.Time) error
}) []string {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	var ids []string
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			if m, err := protocol.Decode([]byte(data)); err == nil && m.Type.IsContent() && m.ID != "" { // not the session event
				ids = append(ids, m.ID)
			}
		}
	}
	return ids // the stream ends cut short: its error is expected
}
