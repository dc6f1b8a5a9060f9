package sse_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/sse"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLastEventIDResumesWithoutLossOrDuplication(t *testing.T) {
	for _, tc := range []struct {
		name   string
		resume func(id string) (query string, hdr http.Header)
	}{
		{"header", func(id string) (string, http.Header) { return "user_id=lee", http.Header{"Last-Event-ID": {id}} }},
		{"query", func(id string) (string, http.Header) { return "user_id=lee&last_event_id=" + id, nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, hub.Config{}, sse.Options{})
			first := e.open(t, "user_id=lee", nil)
			e.waitConns(t, 0, 1)
			for i := 1; i <= 5; i++ {
				require.NoError(t, e.hub.SendToUser(ctx(t), "lee", &protocol.Message{Content: fmt.Sprint(i)}))
			}
			// All five are on the wire (the reader parsed them); the client
			// handled two, then dropped.
			var seen string
			for i := 1; i <= 5; i++ {
				ev, m := first.msg(t)
				require.Equal(t, fmt.Sprint(i), m.Content)
				if i == 2 {
					seen = ev.ID
				}
			}
			first.drop()
			e.waitConns(t, 0, 0)
			for i := 6; i <= 8; i++ {
				require.ErrorIs(t, e.hub.SendToUser(ctx(t), "lee", &protocol.Message{Content: fmt.Sprint(i)}), hub.ErrUserOffline)
			}

			query, hdr := tc.resume(seen)
			second := e.open(t, query, hdr)
			assertResumed(t, second, 3, 8)
		})
	}
}

// assertResumed wants messages from..to, in order, exactly once: a ping's pong
// is the next event after them.
func assertResumed(t *testing.T, s *stream, from, to int) {
	t.Helper()
	var seqs []int64
	for i := from; i <= to; i++ {
		ev, m := s.msg(t)
		require.Equal(t, fmt.Sprint(i), m.Content, "message %d", i)
		assert.Equal(t, m.ID, ev.ID)
		seqs = append(seqs, m.SeqNo)
	}
	assert.IsIncreasing(t, seqs)
	s.send(t, `{"type":"ping"}`)
	_, m := s.msg(t)
	assert.Equal(t, protocol.TypePong, m.Type, "nothing more before the pong: no duplicates (got %q)", m.Content)
}

// TestLastEventIDAfterDropWithFramesInFlight: the client stops reading, the
// server's queue holds frames when the client drops; they come back to the
// hub unsent, and the resume must still give each message once.
func TestLastEventIDAfterDropWithFramesInFlight(t *testing.T) {
	// The queued frames come back to the hub unsent and go to the offline store
	// while the recent buffer holds them too; the hub's redelivery skips the ids
	// that the resume has just sent, so each arrives once.
	e := newEnv(t, hub.Config{SSEMessageBuffer: 64, MaxQueueBytes: 64 << 20}, sse.Options{})
	c, err := smallReadBuffer.Dial("tcp", strings.TrimPrefix(e.srv.URL, "http://"))
	require.NoError(t, err)
	defer c.Close()
	_, err = fmt.Fprintf(c, "GET /sse?user_id=ray HTTP/1.1\r\nHost: %s\r\n\r\n", e.srv.Listener.Addr())
	require.NoError(t, err)
	e.waitConns(t, 0, 1)

	require.NoError(t, e.hub.SendToUser(ctx(t), "ray", &protocol.Message{Content: "1"}))
	seen := readRawUntil(t, c, "1")
	const n = 60 // 7.5 MiB, far more than the socket buffers hold: many stay queued
	pad := map[string]any{"pad": strings.Repeat("z", 128<<10)}
	for i := 2; i <= n; i++ {
		require.NoError(t, e.hub.SendToUser(ctx(t), "ray", &protocol.Message{Content: fmt.Sprint(i), Data: pad}))
	}
	require.NoError(t, c.Close())
	e.waitConns(t, 0, 0)
	st, err := e.hub.Stats(ctx(t))
	require.NoError(t, err)
	require.Positive(t, st.OfflineStored, "frames were still queued when the client dropped")

	s := e.open(t, "user_id=ray", http.Header{"Last-Event-ID": {seen}})
	assertResumed(t, s, 2, n)
}

// readRawUntil reads a raw HTTP stream until the event whose content is want
// and returns that event's id.
func readRawUntil(t *testing.T, c net.Conn, want string) string {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	defer c.SetReadDeadline(time.Time{})
	r := bufio.NewReader(c)
	id := ""
	for {
		line, err := r.ReadString('\n')
		require.NoError(t, err)
		line = strings.TrimSpace(line)
		if v, ok := strings.CutPrefix(line, "id: "); ok {
			id = v
		}
		if strings.HasPrefix(line, "data: ") && strings.Contains(line, `"content":"`+want+`"`) {
			require.NotEmpty(t, id)
			return id
		}
	}
}
