package hub_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// memTransport is an in-process connection on a real session.Outbox: the
// test is the writer (next takes a frame off the outbox as written), so hub
// tests run without sockets. With count set it only counts and drops frames.
type memTransport struct {
	pid    *actor.PID
	root   *actor.RootContext
	out    *session.Outbox
	count  *atomic.Int64
	closed atomic.Int32
	ready  chan struct{} // closed once pid is set
	// writer, with count and out set: Send starts a goroutine that drains the
	// outbox and counts, as transport/ws's writer does (benchmarks)
	writer *atomic.Int32
}

// newMem makes a transport whose outbox holds size frames.
func newMem(size int) *memTransport { return &memTransport{out: session.NewOutbox(size, 1<<30)} }

func (t *memTransport) Kind() session.Kind      { return session.KindWebSocket }
func (t *memTransport) Heartbeat()              {}
func (t *memTransport) Drain() []*session.Frame { return t.outbox().Drain() }
func (t *memTransport) WhenRoom(fn func())      { t.outbox().WhenRoom(fn) }
func (t *memTransport) Queued() int             { return t.outbox().Len() }
func (t *memTransport) Consumed()               {}
func (t *memTransport) outbox() *session.Outbox {
	if t.out == nil {
		return session.NewOutbox(0, 0)
	}
	return t.out
}
func (t *memTransport) Send(f *session.Frame) bool {
	if t.writer != nil {
		if !t.out.Offer(f) {
			return false
		}
		if t.writer.CompareAndSwap(0, 1) {
			go t.write()
		}
		return true
	}
	if t.count != nil {
		t.count.Add(1)
		return true
	}
	return t.out.Offer(f)
}

// write drains the outbox, counting, until it is empty (benchmarks).
func (t *memTransport) write() {
	for {
		select {
		case f := <-t.out.C():
			t.out.Written(f)
			t.count.Add(1)
		default:
			t.writer.Store(0)
			if t.out.Len() == 0 || !t.writer.CompareAndSwap(0, 1) {
				return
			}
		}
	}
}

// next writes the oldest queued frame, waiting up to 5 s for one.
func (t *memTransport) next(tb testing.TB) *session.Frame {
	tb.Helper()
	select {
	case f := <-t.out.C():
		t.out.Written(f)
		return f
	case <-time.After(5 * time.Second):
		tb.Fatal("no frame")
		return nil
	}
}
func (t *memTransport) Close(code int, _ string) {
	if t.closed.CompareAndSwap(0, int32(code)+1) {
		go func() { // the session may close before connect has learnt its PID
			<-t.ready
			t.root.Send(t.pid, &session.TransportDone{})
		}()
	}
}

func connect(h *hub.Hub, id session.Identity, t *memTransport) {
	t.ready = make(chan struct{})
	t.root = h.System().Root
	t.pid = t.root.Spawn(session.Props(h.SessionConfig(), id, t))
	close(t.ready)
}

func newHub(t testing.TB, cfg hub.Config) *hub.Hub {
	sys := actors.NewSystem()
	h, err := hub.New(sys, cfg)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		require.NoError(t, h.Shutdown(ctx))
		sys.Shutdown()
	})
	return h
}

func TestConfigRejectsNegativeValues(t *testing.T) {
	_, err := hub.New(actors.NewSystem(), hub.Config{ClientTimeout: -time.Second})
	require.ErrorIs(t, err, hub.ErrInvalidConfig)
	_, err = hub.New(actors.NewSystem(), hub.Config{MessageBufferSize: -1})
	require.ErrorIs(t, err, hub.ErrInvalidConfig)
}

func TestFacadeRefusesBadMessages(t *testing.T) {
	h := newHub(t, hub.Config{})
	ctx := context.Background()
	assert.ErrorIs(t, h.SendToUser(ctx, "u", nil), hub.ErrInvalidMessage)
	assert.ErrorIs(t, h.SendToUser(ctx, "", &protocol.Message{}), hub.ErrInvalidMessage)
	assert.ErrorIs(t, h.SendToUser(ctx, "u", &protocol.Message{Type: protocol.TypeAck}), hub.ErrInvalidMessage)
	assert.ErrorIs(t, h.Broadcast(ctx, &protocol.Message{Priority: "meh"}), hub.ErrInvalidMessage)
	assert.ErrorIs(t, h.SendToTicket(ctx, "nope", &protocol.Message{}), hub.ErrTicketNotFound)
	assert.ErrorIs(t, h.LeaveTicket(ctx, "nope", "u"), hub.ErrTicketNotFound)
	_, err := h.TicketMembers(ctx, "nope")
	assert.ErrorIs(t, err, hub.ErrTicketNotFound)
}

func TestTicketsAndDisconnect(t *testing.T) {
	h := newHub(t, hub.Config{})
	ctx := context.Background()
	require.NoError(t, h.JoinTicket(ctx, "T", "b"))
	require.NoError(t, h.JoinTicket(ctx, "T", "a"))
	members, err := h.TicketMembers(ctx, "T")
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, members)

	tr := newMem(8)
	connect(h, session.Identity{UserID: "a"}, tr)
	require.Eventually(t, func() bool { u, _ := h.OnlineUsers(ctx); return len(u) == 1 }, 5*time.Second, time.Millisecond)
	// b is a member with no connection: its copy goes to the offline path
	require.NoError(t, h.SendToTicket(ctx, "T", &protocol.Message{Content: "hi"}))
	assert.Equal(t, "hi", tr.next(t).Msg.Content)
	st, err := h.Stats(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, st.OfflineStored)

	n, err := h.DisconnectUser(ctx, "a", 0)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	require.Eventually(t, func() bool { return tr.closed.Load() == int32(protocol.ClosePolicyViolation)+1 }, 5*time.Second, time.Millisecond)
	require.NoError(t, h.LeaveTicket(ctx, "T", "a"))
	require.NoError(t, h.LeaveTicket(ctx, "T", "b"))
	_, err = h.TicketMembers(ctx, "T")
	assert.True(t, errors.Is(err, hub.ErrTicketNotFound), "a ticket goes with its last member")
}

func TestOfflineHandlerIsToldOffTheHubMailbox(t *testing.T) {
	got := make(chan *protocol.Message, 2)
	release := make(chan struct{})
	h := newHub(t, hub.Config{OfflineHandler: hub.OfflineHandlerFunc(func(m *protocol.Message) error {
		<-release // a slow handler must not hold up the hub
		got <- m
		return errors.New("db down")
	})})
	ctx := context.Background()
	require.ErrorIs(t, h.SendToUser(ctx, "gone", &protocol.Message{Content: "1"}), hub.ErrUserOffline)
	require.ErrorIs(t, h.SendToUser(ctx, "gone", &protocol.Message{Content: "2"}), hub.ErrUserOffline)
	_, err := h.Stats(ctx) // the hub answers while the handler is blocked
	require.NoError(t, err)
	close(release)
	assert.Equal(t, "1", (<-got).Content)
	assert.Equal(t, "2", (<-got).Content)
	require.Eventually(t, func() bool { s, _ := h.Stats(ctx); return s.OfflineHandlerErrors == 2 }, 5*time.Second, time.Millisecond)
	s, _ := h.Stats(ctx)
	assert.Equal(t, 2, s.OfflineStored, "the store keeps them whatever the handler says")
}

func TestASessionOfAStoppedHubClosesItsConnection(t *testing.T) {
	sys := actors.NewSystem()
	defer sys.Shutdown()
	h, err := hub.New(sys, hub.Config{})
	require.NoError(t, err)
	require.NoError(t, h.Shutdown(context.Background()))

	tr := &memTransport{}
	connect(h, session.Identity{UserID: "late"}, tr) // its Register reaches nobody
	require.Eventually(t, func() bool { return tr.closed.Load() == int32(protocol.CloseGoingAway)+1 }, 5*time.Second, time.Millisecond)
	// goleak (TestMain) checks that the session actor and its timer are gone
}
