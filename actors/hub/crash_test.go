package hub_test

import (
	"context"
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

// A process that dies leaves the messages still waiting for an ack in the
// store's pending set (no Shutdown gave them up). The next start moves them
// to the offline store, each user's in the order they were sent (the store
// lists them by id, here the reverse), and the user's next connection gets
// them. A graceful restart (restart_test.go) cannot see this: Shutdown has
// stored them already.
func TestPendingAcksLeftByACrashAreStoredAtStart(t *testing.T) {
	db := memStore(t)
	t0 := time.Now()
	for _, u := range []string{"v", "u"} {
		for i, id := range []string{"c", "b", "a"} {
			m := &protocol.Message{ID: u + "-" + id, To: u, Content: u + strconv.Itoa(i), RequireAck: true,
				CreateAt: t0.Add(time.Duration(i) * time.Millisecond), SeqNo: int64(i + 1)}
			require.NoError(t, db.PutPending(store.PendingAck{User: u, Entry: store.Entry{Msg: m}}, nil))
		}
	}
	h := newHub(t, hub.Config{Store: db, EnableAck: true, AckTimeout: time.Hour})
	ctx := context.Background()
	for _, u := range []string{"u", "v"} {
		stored, err := h.OfflineMessages(ctx, u)
		require.NoError(t, err)
		assert.Equal(t, []string{u + "0", u + "1", u + "2"}, contentsOf(stored), "%s's, in the order sent", u)
	}
	tr := newMem(8)
	connect(h, session.Identity{UserID: "u"}, tr)
	for i := range 3 {
		f := tr.next(t)
		assert.Equal(t, "u"+strconv.Itoa(i), f.Msg.Content)
		assert.True(t, f.Msg.RequireAck)
	}
}

// The per-user ticket cap counts the memberships a restart loads from the
// store: a user at the cap stays at it.
func TestTicketCapsHoldAcrossARestart(t *testing.T) {
	db := memStore(t) // outlives both hubs
	cfg := hub.Config{Store: db, MaxTicketsPerUser: 2}
	ctx := context.Background()
	start := func() (*hub.Hub, func()) {
		sys := actors.NewSystem()
		h, err := hub.New(sys, cfg)
		require.NoError(t, err)
		return h, func() {
			sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			require.NoError(t, h.Shutdown(sctx))
			sys.Shutdown()
		}
	}
	h, stop := start()
	require.NoError(t, h.JoinTicket(ctx, "t1", "ann"))
	require.NoError(t, h.JoinTicket(ctx, "t2", "ann"))
	stop()

	h, stop = start()
	defer stop()
	require.ErrorIs(t, h.JoinTicket(ctx, "t3", "ann"), hub.ErrTooManyTickets)
	require.NoError(t, h.LeaveTicket(ctx, "t2", "ann"))
	require.NoError(t, h.JoinTicket(ctx, "t3", "ann"), "room again")
	require.ErrorIs(t, h.JoinTicket(ctx, "t4", "ann"), hub.ErrTooManyTickets, "and no more")
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	require.NoError(t, h.LeaveTicket(wctx, "t1", "bob"), "not a member: answered all the same")
}
