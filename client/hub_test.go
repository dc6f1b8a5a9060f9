package client

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newHubServer stands in for the hub: it writes the frames the test pushes
// and collects what the client sends.
func newHubServer(t *testing.T) (*wsServer, func(frame string)) {
	out := make(chan string, 64)
	s := newServer(t, func(s *wsServer, conn *websocket.Conn, _ int) {
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			for {
				select {
				case f := <-out:
					if conn.WriteMessage(websocket.TextMessage, []byte(f)) != nil {
						return
					}
				case <-stop:
					return
				}
			}
		})
		_ = s.collect(conn)
		close(stop)
		wg.Wait()
	})
	return s, func(f string) { out <- f }
}

func newTestHubClient(t *testing.T, url string, opts ...Option) *HubClient {
	t.Helper()
	h := NewHubClient(url, append([]Option{WithConfig(fast())}, opts...)...)
	t.Cleanup(h.Close)
	return h
}

// nextFrame decodes the next frame the server received.
func nextFrame(t *testing.T, s *wsServer) *protocol.Message {
	t.Helper()
	m, err := protocol.Decode([]byte(s.next(t)))
	require.NoError(t, err)
	return m
}

func requireAck(t *testing.T, m *protocol.Message, id string, status protocol.AckStatus, reason string) {
	t.Helper()
	require.Equal(t, protocol.TypeAck, m.Type)
	assert.Equal(t, id, m.MessageID)
	assert.Equal(t, status, m.AckStatus())
	assert.Equal(t, reason, m.Error)
}

func TestHubAutoAckAfterHandlerReturns(t *testing.T) {
	s, push := newHubServer(t)
	h := newTestHubClient(t, s.url())
	got := make(chan *protocol.Message, 1)
	release := make(chan struct{})
	h.OnMessage(protocol.TypeText, func(m *protocol.Message) {
		got <- m
		<-release
	})
	require.NoError(t, h.ConnectContext(context.Background()))

	push(`{"id":"m-1","type":"text","from":"alice","content":"hi","require_ack":true,"seq_no":7}`)
	m := recv(t, got)
	assert.Equal(t, "hi", m.Content)
	assert.Equal(t, "alice", m.From)
	assert.EqualValues(t, 7, m.SeqNo)
	require.Never(t, func() bool { return len(s.receivedFrames()) > 0 }, 100*time.Millisecond, tick,
		"no ack while the handler is still running")

	close(release)
	requireAck(t, nextFrame(t, s), "m-1", protocol.AckConfirmed, "")
}

func TestHubRedeliveryReachesHandlerOnceButIsAckedTwice(t *testing.T) {
	s, push := newHubServer(t)
	h := newTestHubClient(t, s.url())
	var calls atomic.Int32
	h.OnAnyMessage(func(*protocol.Message) { calls.Add(1) })
	require.NoError(t, h.ConnectContext(context.Background()))

	const m2 = `{"id":"m-2","type":"notice","content":"once","require_ack":true}`
	push(m2)
	push(m2)
	requireAck(t, nextFrame(t, s), "m-2", protocol.AckConfirmed, "")
	requireAck(t, nextFrame(t, s), "m-2", protocol.AckConfirmed, "")
	assert.EqualValues(t, 1, calls.Load())

	// Across a reconnect too: the memory of ids belongs to the client.
	s.waitConns(t, 1)
	s.dropAll()
	require.Eventually(t, func() bool { return s.connCount() == 2 && h.IsConnected() }, waitFor, tick)
	push(m2)
	requireAck(t, nextFrame(t, s), "m-2", protocol.AckConfirmed, "")
	assert.EqualValues(t, 1, calls.Load())
}

func TestHubManualAckAndNack(t *testing.T) {
	s, push := newHubServer(t)
	h := newTestHubClient(t, s.url(), WithAutoAck(false))
	got := make(chan string, 8)
	h.OnAnyMessage(func(m *protocol.Message) { got <- m.ID })
	marker := make(chan error, 1)
	h.OnError(func(err error) { marker <- err })
	require.NoError(t, h.ConnectContext(context.Background()))

	push(`{"id":"m-3","content":"x","require_ack":true}`)
	assert.Equal(t, "m-3", recv(t, got))
	require.Never(t, func() bool { return len(s.receivedFrames()) > 0 }, 100*time.Millisecond, tick, "no automatic ack")

	// A redelivery before the application decided: nothing to repeat yet.
	push(`{"id":"m-3","content":"x","require_ack":true}`)
	push(`{"type":"error","code":4000}`) // dispatched after the redelivery
	recv(t, marker)
	require.NoError(t, h.Nack("m-3", "busy"))
	requireAck(t, nextFrame(t, s), "m-3", protocol.AckFailed, "busy")

	// After the decision, a redelivery is answered the same way, unhandled.
	push(`{"id":"m-3","content":"x","require_ack":true}`)
	requireAck(t, nextFrame(t, s), "m-3", protocol.AckFailed, "busy")

	require.NoError(t, h.Ack("m-3"), "the application may change its mind")
	requireAck(t, nextFrame(t, s), "m-3", protocol.AckConfirmed, "")
	assert.Empty(t, got, "the handler saw m-3 once")
	require.ErrorIs(t, h.Ack(""), protocol.ErrInvalidFrame)
}

func TestHubHandlerDecisionWinsOverAutoAck(t *testing.T) {
	s, push := newHubServer(t)
	h := newTestHubClient(t, s.url())
	h.OnMessage(protocol.TypeText, func(m *protocol.Message) {
		if m.Content == "refuse" {
			assert.NoError(t, h.Nack(m.ID, "refused"))
		}
	})
	require.NoError(t, h.ConnectContext(context.Background()))
	push(`{"id":"m-5","content":"refuse","require_ack":true}`)
	push(`{"id":"m-6","content":"fine","require_ack":true}`)
	requireAck(t, nextFrame(t, s), "m-5", protocol.AckFailed, "refused")
	requireAck(t, nextFrame(t, s), "m-6", protocol.AckConfirmed, "")
}

func TestHubDispatchByTypeAndErrors(t *testing.T) {
	s, push := newHubServer(t)
	h := newTestHubClient(t, s.url())
	var mu sync.Mutex
	var seen []string
	note := func(prefix string) func(*protocol.Message) {
		return func(m *protocol.Message) {
			mu.Lock()
			seen = append(seen, prefix+":"+m.Content)
			mu.Unlock()
		}
	}
	h.OnMessage(protocol.TypeNotice, note("notice"))
	h.OnMessage(protocol.TypePong, note("pong"))
	h.OnAnyMessage(note("any"))
	errs := make(chan error, 4)
	h.OnError(func(err error) { errs <- err })
	raw := make(chan string, 16)
	h.OnTextMessageReceived(func(m string) { raw <- m })
	require.NoError(t, h.ConnectContext(context.Background()))

	push(`{"type":"notice","content":"n"}`)
	push(`{"type":"event","content":"e"}`)
	push(`{"content":"no type is text"}`)
	push(`{"content":"no type is text"}`) // no id: nothing to de-duplicate
	push(`{"type":"pong"}`)
	push(`{"type":"error","code":4001,"content":"forbidden","message_id":"c-9"}`)
	push(`{oops`)

	var se *ServerError
	err := recv(t, errs)
	require.ErrorAs(t, err, &se)
	assert.ErrorIs(t, err, ErrServer)
	assert.Equal(t, ServerError{Code: protocol.CodeForbidden, Text: "forbidden", MessageID: "c-9"}, *se)
	assert.ErrorIs(t, recv(t, errs), protocol.ErrInvalidFrame)

	mu.Lock()
	assert.Equal(t, []string{"notice:n", "any:e", "any:no type is text", "any:no type is text", "pong:"}, seen)
	mu.Unlock()
	assert.Len(t, raw, 7, "the raw tap sees every text frame")

	h.OnMessage(protocol.TypeNotice, nil)
	push(`{"type":"notice","content":"n2"}`)
	push(`{"type":"error","code":4000}`) // a marker: everything before it was dispatched
	recv(t, errs)
	mu.Lock()
	assert.Equal(t, "any:n2", seen[len(seen)-1], "without its handler a type falls to OnAnyMessage")
	mu.Unlock()
}

func TestHubSends(t *testing.T) {
	s, _ := newHubServer(t)
	h := newTestHubClient(t, s.url())
	require.NoError(t, h.ConnectContext(context.Background()))

	require.NoError(t, h.SendToUser("bob", "hi bob"))
	m := nextFrame(t, s)
	assert.Equal(t, protocol.TypeText, m.Type)
	assert.Equal(t, "bob", m.To)
	assert.Equal(t, "hi bob", m.Content)
	assert.NotEmpty(t, m.MsgID, "a client id lets the hub drop a re-written copy")

	require.NoError(t, h.SendToTicket("t-1", "hi all"))
	m = nextFrame(t, s)
	assert.Equal(t, "t-1", m.TicketID)
	assert.Empty(t, m.To)

	require.NoError(t, h.Ping())
	m = nextFrame(t, s)
	assert.Equal(t, protocol.TypePing, m.Type)
	assert.Empty(t, m.MsgID)

	in := &protocol.Message{To: "carol", Content: "mine", Priority: protocol.PriorityHigh}
	require.NoError(t, h.SendMessage(in))
	m = nextFrame(t, s)
	assert.Equal(t, protocol.PriorityHigh, m.Priority)
	assert.Empty(t, in.MsgID, "the caller's message is not changed")
	assert.Empty(t, in.Type)

	require.ErrorIs(t, h.SendMessage(nil), ErrNilMessage)
	require.ErrorIs(t, h.SendMessage(&protocol.Message{Type: "teleport"}), protocol.ErrUnknownType)
	h.Close()
	require.ErrorIs(t, h.SendToUser("bob", "late"), ErrClose)
}

func TestServerErrorText(t *testing.T) {
	err := error(&ServerError{Code: 4004, Text: "unknown message", MessageID: "m-1"})
	assert.Equal(t, "wsc: server error 4004: unknown message (message m-1)", err.Error())
	assert.True(t, errors.Is(err, ErrServer))
}
