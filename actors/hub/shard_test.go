package hub_test

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/ack"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The hub of two shards (shards.go): each test picks ids that land on the
// shards it needs (on, through Hub.ShardOf), so that what spans shards is
// what it tests.

// on is the first id prefix+n placed on shard, skipping those in taken.
func on(t *testing.T, h *hub.Hub, shard int, prefix string, taken ...string) string {
	t.Helper()
	require.Equal(t, 2, h.Shards())
next:
	for i := range 1000 {
		id := prefix + strconv.Itoa(i)
		if h.ShardOf(id) != shard {
			continue
		}
		for _, x := range taken {
			if x == id {
				continue next
			}
		}
		return id
	}
	t.Fatal("no id on shard", shard)
	return ""
}

// connectTo connects id through its own shard (SessionConfigFor), as the
// transports do.
func connectTo(h *hub.Hub, id session.Identity, t *memTransport) {
	t.ready = make(chan struct{})
	t.root = h.System().Root
	t.pid = t.root.Spawn(session.Props(h.SessionConfigFor(id), id, t))
	close(t.ready)
}

func twoShards(t *testing.T, cfg hub.Config) *hub.Hub {
	cfg.Shards = 2
	return newHub(t, cfg)
}

// A ticket on shard 0 with members on both shards, one of each online: the
// online ones get it, the offline ones keep it in the offline store, and the
// record settles once, as delivered. (Broken by hand: ticketParts sending no
// part, the member on shard 1 got nothing and its offline copy was missing.)
func TestATicketWithMembersOnBothShards(t *testing.T) {
	h := twoShards(t, hub.Config{})
	ctx := context.Background()
	ticket := on(t, h, 0, "t")
	a, b := on(t, h, 0, "a"), on(t, h, 1, "b")
	aOff, bOff := on(t, h, 0, "ao"), on(t, h, 1, "bo")
	for _, u := range []string{a, b, aOff, bOff} {
		require.NoError(t, h.JoinTicket(ctx, ticket, u))
	}
	ta, tb := newMem(8), newMem(8)
	connectTo(h, session.Identity{UserID: a}, ta)
	connectTo(h, session.Identity{UserID: b}, tb)
	online(t, h, 2)

	m := &protocol.Message{ID: h.NewID(), Content: "to all"}
	require.NoError(t, h.SendToTicket(ctx, ticket, m))
	assert.Equal(t, "to all", ta.next(t).Msg.Content)
	assert.Equal(t, "to all", tb.next(t).Msg.Content)
	for _, u := range []string{aOff, bOff} {
		kept, err := h.OfflineMessages(ctx, u)
		require.NoError(t, err)
		require.Len(t, kept, 1, u)
		assert.Equal(t, m.ID, kept[0].ID)
	}
	waitStatus(t, h, m.ID, recorder.StatusSuccess)
	s, err := h.Stats(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(1), s.MessagesDelivered, "counted once")
}

// A ticket message that needs acks, to members on both shards: each copy is
// tracked by its member's shard, where that member's ack arrives, and the
// caller gets one outcome per member. (Broken by hand: toMembers tracking
// nothing, the acks were answered 4004 and no outcome came.)
func TestTicketAcksAcrossShards(t *testing.T) {
	h := twoShards(t, hub.Config{EnableAck: true, AckTimeout: time.Hour})
	ctx := context.Background()
	ticket := on(t, h, 1, "t")
	a, b := on(t, h, 0, "a"), on(t, h, 1, "b")
	require.NoError(t, h.JoinTicket(ctx, ticket, a))
	require.NoError(t, h.JoinTicket(ctx, ticket, b))
	ta, tb := newMem(8), newMem(8)
	connectTo(h, session.Identity{UserID: a}, ta)
	connectTo(h, session.Identity{UserID: b}, tb)
	online(t, h, 2)

	type result struct {
		out []hub.Outcome
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := h.SendToTicketWithAck(ctx, ticket, &protocol.Message{Content: "ack me"})
		done <- result{out, err}
	}()
	root := h.System().Root
	for user, tr := range map[string]*memTransport{a: ta, b: tb} {
		f := tr.next(t)
		require.True(t, f.Msg.RequireAck)
		root.Send(h.PID(), &session.AckIn{PID: tr.pid, UserID: user, Ack: protocol.NewAck(f.Msg.ID, protocol.AckConfirmed, "")})
	}
	select {
	case r := <-done:
		require.NoError(t, r.err)
		require.Len(t, r.out, 2)
		users := map[string]bool{}
		for _, o := range r.out {
			assert.Equal(t, ack.Acknowledged, o.Result)
			users[o.UserID] = true
		}
		assert.Equal(t, map[string]bool{a: true, b: true}, users)
	case <-time.After(5 * time.Second):
		t.Fatal("no outcomes")
	}
}

// A broadcast reaches the connections of every shard, and its answer comes
// once every shard has queued it. (Broken by hand: broadcast sending no
// parts, the connection on shard 1 got nothing.)
func TestABroadcastReachesEveryShard(t *testing.T) {
	h := twoShards(t, hub.Config{})
	ctx := context.Background()
	var trs []*memTransport
	for shard := range 2 {
		for i := range 3 {
			tr := newMem(8)
			connectTo(h, session.Identity{UserID: on(t, h, shard, "u"+strconv.Itoa(i)+"-")}, tr)
			trs = append(trs, tr)
		}
	}
	online(t, h, len(trs))
	require.NoError(t, h.Broadcast(ctx, &protocol.Message{Content: "everyone"}))
	for _, tr := range trs {
		assert.Equal(t, 1, tr.Queued(), "queued before the answer")
		assert.Equal(t, "everyone", tr.next(t).Msg.Content)
	}
}

// A client's message to a user on the other shard goes to the receiver's
// shard (session.Config.Route): delivered there; and refused (4029) there
// once the receiver's outbox is half full, the error frame reaching the
// sender on its own shard. (Broken by hand: Route nil and the hub passing
// nothing on, the message went to the offline path on the sender's shard.)
func TestInboundAndFloodRefusalAcrossShards(t *testing.T) {
	const outbox = 4
	h := twoShards(t, hub.Config{MessageBufferSize: outbox, HeartbeatInterval: time.Hour, ClientTimeout: time.Hour})
	ctx := context.Background()
	a, b := on(t, h, 0, "a"), on(t, h, 1, "b")
	ta, tb := newMem(8), newMem(outbox)
	idA := session.Identity{UserID: a}
	connectTo(h, idA, ta)
	connectTo(h, session.Identity{UserID: b}, tb)
	online(t, h, 2)
	in := session.NewIngress(h.SessionConfigFor(idA), idA, ta, ta.pid, h.System().Root)
	send := func(content string) {
		data, err := protocol.Encode(&protocol.Message{Type: protocol.TypeText, To: b, Content: content})
		require.NoError(t, err)
		in.Handle(data)
	}

	send("hello")
	f := tb.next(t)
	assert.Equal(t, "hello", f.Msg.Content)
	assert.Equal(t, a, f.Msg.From)

	for i := range outbox / 2 { // b's outbox half full: the next is refused
		require.NoError(t, h.SendToUser(ctx, b, &protocol.Message{Content: strconv.Itoa(i)}))
	}
	send("too much")
	e := ta.next(t)
	require.Equal(t, protocol.TypeError, e.Msg.Type)
	assert.Equal(t, protocol.CodeQueueFull, e.Msg.Code)
	s, err := h.Stats(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(1), s.FloodRefused)
	assert.Zero(t, s.MessagesOffline, "nothing went to the offline path")
}

// Stats, asked of the facade or of PID(), sum the shards' maps and their
// counters (each shard has its own).
// (Broken by hand: gatherStats keeping the first shard's reply only; and
// Stats.add skipping the int64 fields: MessagesAccepted was 1.)
func TestStatsSumTheShards(t *testing.T) {
	h := twoShards(t, hub.Config{})
	ctx := context.Background()
	for shard := range 2 {
		for i := range shard + 1 { // 1 connection on shard 0, 2 on shard 1
			connectTo(h, session.Identity{UserID: on(t, h, shard, "u"+strconv.Itoa(i)+"-")}, newMem(8))
		}
		require.NoError(t, h.JoinTicket(ctx, on(t, h, shard, "t"), on(t, h, shard, "m")))
	}
	online(t, h, 3)
	for shard := range 2 {
		for i := range shard + 1 { // 1 message to shard 0's user, 2 to shard 1's
			require.NoError(t, h.SendToUser(ctx, on(t, h, shard, "u0-"), &protocol.Message{Content: strconv.Itoa(i)}))
		}
	}
	s, err := h.Stats(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, s.Users)
	assert.Equal(t, 2, s.Tickets)
	assert.Equal(t, int64(3), s.MessagesAccepted, "counted on both shards")
	assert.Equal(t, int64(3), s.MessagesDelivered)
	assert.Equal(t, h.NodeID(), s.NodeID)
	reply := make(chan hub.Stats, 1)
	h.System().Root.Send(h.PID(), &hub.GetStats{Reply: reply})
	select {
	case s := <-reply:
		assert.Equal(t, 3, s.Connections)
		assert.Equal(t, 2, s.Tickets)
	case <-time.After(5 * time.Second):
		t.Fatal("no stats from PID()")
	}
	users, err := h.OnlineUsers(ctx)
	require.NoError(t, err)
	assert.Len(t, users, 3)
}

// Shutdown with messages waiting for acks on both shards: every one ends in
// the offline store, and every shard's goroutines end (goleak, TestMain).
// (Broken by hand: Shutdown telling shard 0 only, it timed out.)
func TestShutdownWithPendingAcksOnBothShards(t *testing.T) {
	const n = 20
	db := memStore(t)
	sys := actors.NewSystem()
	defer sys.Shutdown()
	h, err := hub.New(sys, hub.Config{Shards: 2, EnableAck: true, AckTimeout: time.Hour, Store: db})
	require.NoError(t, err)
	users := []string{on(t, h, 0, "q"), on(t, h, 1, "q")}
	for _, u := range users { // they read nothing, and never ack
		connectTo(h, session.Identity{UserID: u}, newMem(2*n))
	}
	online(t, h, 2)
	for _, u := range users {
		for i := range n {
			require.NoError(t, h.SendToUser(context.Background(), u, &protocol.Message{Content: strconv.Itoa(i)}))
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, h.Shutdown(ctx))
	for _, u := range users {
		kept := db.PeekOffline(u, "", 1000)
		assert.Len(t, kept, n, u)
	}
}

// A join counted on the user's shard and refused on the ticket's (its cap
// of tickets), or made already, is undone on the user's shard: the user's
// count stays true. (Broken by hand: no countMember(-1) on a refusal, the
// last join was refused as past the user's cap.)
func TestAJoinRefusedOnTheTicketsShardIsUndone(t *testing.T) {
	h := twoShards(t, hub.Config{MaxTickets: 2, MaxTicketsPerUser: 2})
	ctx := context.Background()
	u := on(t, h, 0, "u")
	mine := on(t, h, 1, "t")
	other := on(t, h, 1, "t", mine)
	third := on(t, h, 1, "t", mine, other)
	require.NoError(t, h.JoinTicket(ctx, mine, u))
	require.NoError(t, h.JoinTicket(ctx, mine, u), "made already: undone")
	require.NoError(t, h.JoinTicket(ctx, other, "someone"))
	require.ErrorIs(t, h.JoinTicket(ctx, third, u), hub.ErrTooManyTickets, "past the node's cap of tickets")
	require.NoError(t, h.JoinTicket(ctx, other, u), "u is a member of one ticket: room for a second")
	require.ErrorIs(t, h.JoinTicket(ctx, third, u), hub.ErrTooManyTickets)
	require.NoError(t, h.LeaveTicket(ctx, other, u))
	require.NoError(t, h.LeaveTicket(ctx, other, "someone"))
	require.NoError(t, h.JoinTicket(ctx, third, u), "a leave counts down on u's shard")
}

// A message sent to another shard's PID than its key's is passed on to the
// key's shard: a send to a user placed on shard 1 sent to shard 0 reaches
// the user's connection, and a broadcast sent to shard 1 takes its number on
// shard 0 (one sequence). (Broken by hand: Receive without elsewhere, the
// send went to the offline path on shard 0, and the broadcasts' seq_no
// repeated.)
func TestAMessageAtTheWrongShardIsPassedOn(t *testing.T) {
	h := twoShards(t, hub.Config{})
	b, zero := on(t, h, 1, "b"), on(t, h, 0, "z")
	tr := newMem(8)
	connectTo(h, session.Identity{UserID: b}, tr)
	online(t, h, 1)
	root := h.System().Root
	reply := make(chan error, 1)
	root.Send(h.PIDFor(zero), &hub.SendToUser{UserID: b, Msg: &protocol.Message{Content: "via 0"}, Reply: reply})
	require.NoError(t, <-reply)
	assert.Equal(t, "via 0", tr.next(t).Msg.Content)

	root.Send(h.PIDFor(b), &hub.Broadcast{Msg: &protocol.Message{Content: "b1"}, Reply: reply})
	require.NoError(t, <-reply)
	require.NoError(t, h.Broadcast(context.Background(), &protocol.Message{Content: "b2"}))
	first, second := tr.next(t).Msg, tr.next(t).Msg
	assert.Equal(t, "b1", first.Content)
	assert.Less(t, first.SeqNo, second.SeqNo, "one broadcast sequence")
}

// Zero Shards is one shard per P; a hub with a Bus, or with a Store that is
// not a store.DB, runs one whatever Shards says.
func TestShardsDefaultAndWhenOneIsForced(t *testing.T) {
	want := runtime.GOMAXPROCS(0)
	if v, err := strconv.Atoi(os.Getenv("WSC_TEST_SHARDS")); err == nil && v > 0 {
		want = v // the suite's own override
	}
	assert.Equal(t, want, newHub(t, hub.Config{}).Shards())
	assert.Equal(t, 3, newHub(t, hub.Config{Shards: 3}).Shards())

	net := newMemNet()
	t.Cleanup(net.close) // after the hub's cleanup
	assert.Equal(t, 1, newHub(t, hub.Config{Shards: 2, Bus: net.bus()}).Shards(), "with a Bus")
	wrapped := &heldSeq{DB: memStore(t), release: make(chan struct{})}
	close(wrapped.release)
	assert.Equal(t, 1, newHub(t, hub.Config{Shards: 2, Store: wrapped}).Shards(), "with a Store other than store.DB")
}

// A store.DB split by a hub of two shards serves a later hub of two on it,
// and refuses one of another count: its sequences are loaded in views that
// hub could not follow. (Broken by hand: New checking only with several
// shards, the hub of one started.)
func TestADBSplitForTwoShardsRefusesAnotherCount(t *testing.T) {
	db := memStore(t)
	start := func(shards int) error {
		sys := actors.NewSystem()
		defer sys.Shutdown()
		h, err := hub.New(sys, hub.Config{Shards: shards, Store: db})
		if err != nil {
			return err
		}
		return h.Shutdown(context.Background())
	}
	require.NoError(t, start(2))
	require.NoError(t, start(2))
	require.Error(t, start(1))
	require.Error(t, start(3))
}

// The user's cap of tickets holds for tickets on another shard: the joins
// are counted on the user's shard before they go to the ticket's. (Found by
// gremlins: the count's ++ turned -- lived; with it the third join was
// made.)
func TestTheUsersCapCountsJoinsMadeOnAnotherShard(t *testing.T) {
	h := twoShards(t, hub.Config{MaxTicketsPerUser: 2})
	ctx := context.Background()
	u := on(t, h, 0, "u")
	first := on(t, h, 1, "t")
	second := on(t, h, 1, "t", first)
	third := on(t, h, 1, "t", first, second)
	require.NoError(t, h.JoinTicket(ctx, first, u))
	require.NoError(t, h.JoinTicket(ctx, second, u))
	require.ErrorIs(t, h.JoinTicket(ctx, third, u), hub.ErrTooManyTickets, "past the user's cap of 2")
	_, err := h.TicketMembers(ctx, third)
	require.ErrorIs(t, err, hub.ErrTicketNotFound, "no member made")
}
