package hub_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// memStore is a store the test owns and reads once the hub has stopped: the
// hub is its owner goroutine until then, and Shutdown returning orders the
// hub's calls before the test's.
func memStore(t *testing.T) *store.DB {
	db, err := store.OpenMemory(store.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// Shutdown with messages waiting for acks: every one ends in the offline
// store, which the test inspects after the hub has stopped.
func TestShutdownStoresEveryPendingAck(t *testing.T) {
	const n = 50
	db := memStore(t)
	sys := actors.NewSystem()
	defer sys.Shutdown()
	h, err := hub.New(sys, hub.Config{EnableAck: true, AckTimeout: time.Hour, Store: db})
	require.NoError(t, err)
	tr := newMem(2 * n)
	connect(h, session.Identity{UserID: "quiet"}, tr) // reads, never acks
	online(t, h, 1)
	ids := map[string]bool{}
	for i := range n {
		m := &protocol.Message{ID: h.NewID(), Content: strconv.Itoa(i)}
		require.NoError(t, h.SendToUser(context.Background(), "quiet", m))
		ids[m.ID] = true
	}
	for range n {
		require.True(t, tr.next(t).Msg.RequireAck)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, h.Shutdown(ctx))

	kept := db.PeekOffline("quiet", "", 1000)
	require.Len(t, kept, n)
	for _, e := range kept {
		assert.True(t, ids[e.Msg.ID], e.Msg.ID)
	}
}

// The hub drains a connection's outbox once, when its session says Gone:
// frames queued and never written go to the offline path, in order, even
// though the session itself never held them.
func TestGoneDrainsTheOutbox(t *testing.T) {
	h := newHub(t, hub.Config{})
	tr := newMem(64)
	connect(h, session.Identity{UserID: "drop"}, tr)
	online(t, h, 1)
	for i := range 10 {
		require.NoError(t, h.SendToUser(context.Background(), "drop", &protocol.Message{Content: strconv.Itoa(i)}))
	}
	assert.Equal(t, "0", tr.next(t).Msg.Content) // written; the other nine are not
	tr.root.Send(tr.pid, &session.TransportDone{})
	require.Eventually(t, func() bool { s, _ := h.Stats(context.Background()); return s.OfflineStored == 9 }, 5*time.Second, time.Millisecond)
	kept, err := h.OfflineMessages(context.Background(), "drop")
	require.NoError(t, err)
	for i, m := range kept {
		assert.Equal(t, strconv.Itoa(i+1), m.Content)
	}
}

// A slow consumer: the outbox refuses a frame, the hub keeps it (not the
// session), closes the connection with 3002 and, once it is gone, stores the
// refused frame after the ones the outbox held.
func TestRefusedFrameStaysWithTheHub(t *testing.T) {
	h := newHub(t, hub.Config{})
	tr := newMem(4)
	connect(h, session.Identity{UserID: "full"}, tr)
	online(t, h, 1)
	for i := range 5 { // the fifth is refused
		require.NoError(t, h.SendToUser(context.Background(), "full", &protocol.Message{Content: strconv.Itoa(i)}))
	}
	require.Eventually(t, func() bool { return tr.closed.Load() == int32(protocol.CloseSlowConsumer)+1 }, 5*time.Second, time.Millisecond)
	require.Eventually(t, func() bool { s, _ := h.Stats(context.Background()); return s.OfflineStored == 5 }, 5*time.Second, time.Millisecond)
	kept, err := h.OfflineMessages(context.Background(), "full")
	require.NoError(t, err)
	for i, m := range kept {
		assert.Equal(t, strconv.Itoa(i), m.Content, "in order")
	}
	s, err := h.Stats(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 1, s.SlowConsumerCloses)
}

// Every send to a user on no node is stored: a hundred of a hundred.
func TestEveryOfflineSendIsStored(t *testing.T) {
	db := memStore(t)
	h := newHub(t, hub.Config{Store: db})
	for i := range 100 {
		err := h.SendToUser(context.Background(), fmt.Sprint("away", i%7), &protocol.Message{Content: strconv.Itoa(i)})
		require.ErrorIs(t, err, hub.ErrUserOffline)
	}
	s, err := h.Stats(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 100, s.OfflineStored)
	assert.EqualValues(t, 100, s.MessagesOffline)
}

// Messages sent straight to the hub's PID with no reply channel, or one
// without room, never block its mailbox.
func TestQueriesWithoutRepliesNeverBlockTheHub(t *testing.T) {
	h := newHub(t, hub.Config{})
	root := h.System().Root
	// made first and waited for: with several shards a join and a send to
	// the ticket are not ordered with each other (docs/sharding.md)
	require.NoError(t, h.JoinTicket(context.Background(), "t", "x"))
	unbuffered := make(chan hub.Stats)
	for _, m := range []any{
		&hub.GetStats{}, &hub.GetStats{Reply: unbuffered}, &hub.OnlineUsers{}, &hub.WhereIs{UserID: "x"},
		&hub.TicketMembers{TicketID: "t"}, &hub.DisconnectUser{UserID: "x"}, &hub.PeekOffline{UserID: "x"},
		&hub.SendToUser{UserID: "x", Msg: &protocol.Message{Content: "c"}},
		&hub.JoinTicket{TicketID: "t2", UserID: "x"}, &hub.SendToTicket{TicketID: "t", Msg: &protocol.Message{Content: "c"}, Ack: &hub.AckRequest{}},
	} {
		root.Send(h.PID(), m)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := h.Stats(ctx)
	require.NoError(t, err, "the hub still answers")
	require.Eventually(t, func() bool { // the user's message and the ticket's copy for its offline member
		s, err := h.Stats(ctx)
		return err == nil && s.OfflineStored == 2
	}, 5*time.Second, time.Millisecond)
}

// Tickets are capped per node and per user: a join past either is refused,
// and leaving makes room again.
func TestTicketCaps(t *testing.T) {
	h := newHub(t, hub.Config{MaxTickets: 3, MaxTicketsPerUser: 2})
	ctx := context.Background()
	require.NoError(t, h.JoinTicket(ctx, "t1", "ann"))
	require.NoError(t, h.JoinTicket(ctx, "t2", "ann"))
	require.ErrorIs(t, h.JoinTicket(ctx, "t3", "ann"), hub.ErrTooManyTickets, "per user")
	require.NoError(t, h.JoinTicket(ctx, "t1", "ann"), "already a member: nothing new")
	require.NoError(t, h.JoinTicket(ctx, "t3", "bob"))
	require.ErrorIs(t, h.JoinTicket(ctx, "t4", "bob"), hub.ErrTooManyTickets, "per node")
	require.NoError(t, h.JoinTicket(ctx, "t1", "bob"), "an existing ticket is not a new one")
	require.NoError(t, h.LeaveTicket(ctx, "t2", "ann"))
	require.NoError(t, h.JoinTicket(ctx, "t4", "ann"), "room again")
}
