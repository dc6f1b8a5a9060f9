package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// StoreFactory gives one test a fresh place for data, and open, which opens
// a store.Store over it: a store opened after the previous one was closed
// finds what that one wrote. It is the suite for stores that are not an
// Engine under a store.DB (store/jetstream); RunStore over a store.DB checks
// that both kinds keep one contract.
type StoreFactory func(t *testing.T) (open func(cfg store.Config) (store.Store, error))

// RunStore runs the behaviour the hub counts on, through store.Store only.
// The faults (a held or failing disk) are the Engine suite's (Run) and each
// store's own.
func RunStore(t *testing.T, f StoreFactory) {
	tests := map[string]func(*testing.T, StoreFactory){
		"OfflineOrderAndPaging":  storeOfflineOrderAndPaging,
		"OfflineBounds":          storeOfflineBounds,
		"OfflineSurvivesReopen":  storeOfflineSurvivesReopen,
		"DurableCallbackInOrder": storeDurableCallbackInOrder,
		"GiveUpOrder":            storeGiveUpOrder,
		"Pending":                storePending,
		"Sequences":              storeSequences,
		"History":                storeHistory,
		"HistoryTTL":             storeHistoryTTL,
		"TicketsAndRecords":      storeTicketsAndRecords,
		"Closed":                 storeClosed,
		"BadInput":               storeBadInput,
		"QueueOnlyFromAnyone":    storeQueueOnlyFromAnyone,
	}
	for name, fn := range tests {
		t.Run(name, func(t *testing.T) { fn(t, f) })
	}
}

// openStore opens a store that the test closes when it ends.
func openStore(t *testing.T, open func(store.Config) (store.Store, error), cfg store.Config) store.Store {
	t.Helper()
	s, err := open(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func sput(t *testing.T, s store.Store, user, id string) []store.Dropped {
	t.Helper()
	dropped, err := s.PutOffline(user, store.Entry{Msg: Msg(id, "x")}, nil)
	require.NoError(t, err)
	return dropped
}

func storeOfflineOrderAndPaging(t *testing.T, f StoreFactory) {
	s := openStore(t, f(t), store.Config{})
	for i := range 5 {
		sput(t, s, "u", fmt.Sprint("m", i))
	}
	sput(t, s, "u", "m2") // a resend: kept once
	sput(t, s, "v", "m0") // the same id for another user is another message
	n, _ := s.OfflineLen("u")
	assert.Equal(t, 5, n)
	assert.Equal(t, []string{"m0", "m1"}, ids(s.PeekOffline("u", "", 2)))
	assert.Equal(t, []string{"m2", "m3"}, ids(s.PeekOffline("u", "m1", 2)))
	assert.Equal(t, []string{"m4"}, ids(s.PeekOffline("u", "m3", 2)))
	assert.Empty(t, s.PeekOffline("u", "m4", 2))
	assert.Equal(t, []string{"m0"}, ids(s.PeekOffline("u", "gone", 1)), "an unknown after reads from the oldest")
	s.RemoveOffline("u", []string{"m0", "m1", "nope"}, nil)
	assert.Equal(t, []string{"m2", "m3", "m4"}, ids(s.PeekOffline("u", "", 10)))
	s.RemoveOffline("u", []string{"m3"}, nil)
	assert.Equal(t, []string{"m2", "m4"}, ids(s.PeekOffline("u", "", 10)))
	n, _ = s.OfflineLen("")
	assert.Equal(t, 3, n)
}

func storeOfflineBounds(t *testing.T, f StoreFactory) {
	s := openStore(t, f(t), store.Config{OfflinePerUser: 3, OfflineTotal: 5})
	for i := range 4 {
		sput(t, s, "a", fmt.Sprint("a", i))
	}
	assert.Equal(t, []string{"a1", "a2", "a3"}, ids(s.PeekOffline("a", "", 10)), "the user's oldest goes")
	sput(t, s, "b", "b0")
	sput(t, s, "b", "b1")
	d := sput(t, s, "b", "b2")
	require.Len(t, d, 1)
	assert.Equal(t, "a", d[0].User)
	assert.Equal(t, "a1", d[0].Msg.ID)

	data, err := protocol.Encode(Msg("c0", "x"))
	require.NoError(t, err)
	one := int64(len(data) + 1)
	s2 := openStore(t, f(t), store.Config{OfflinePerUserBytes: 2 * one, OfflineTotalBytes: 3 * one, RefuseWhenFull: true})
	for i := range 3 {
		_, err := s2.PutOffline("c", store.Entry{Msg: Msg(fmt.Sprint("c", i), "x")}, nil)
		require.NoError(t, err)
	}
	n, b := s2.OfflineLen("c")
	assert.Equal(t, 2, n)
	assert.Equal(t, 2*one, b)
	_, err = s2.PutOffline("d", store.Entry{Msg: Msg("d0", "x")}, nil)
	require.NoError(t, err)
	_, err = s2.PutOffline("e", store.Entry{Msg: Msg("e0", "x")}, nil)
	require.ErrorIs(t, err, store.ErrFull)
	_, err = s2.PutOffline("c", store.Entry{Msg: Msg("c9", string(make([]byte, 3*one)))}, nil)
	require.ErrorIs(t, err, store.ErrTooLarge)
}

func storeOfflineSurvivesReopen(t *testing.T, f StoreFactory) {
	open := f(t)
	s, err := open(store.Config{})
	require.NoError(t, err)
	for i := range 3 {
		sput(t, s, "u", fmt.Sprint("u", i))
		sput(t, s, "w", fmt.Sprint("w", i))
	}
	s.RemoveOffline("u", []string{"u0"}, nil)
	done, ch := durable()
	_, err = s.PutOffline("u", store.Entry{Msg: Msg("u3", "last")}, done)
	require.NoError(t, err)
	require.NoError(t, waitDone(t, ch))
	require.NoError(t, s.Close())

	s = openStore(t, open, store.Config{OfflineTotal: 6})
	assert.Equal(t, []string{"u1", "u2", "u3"}, ids(s.PeekOffline("u", "", 10)))
	assert.Equal(t, "last", s.PeekOffline("u", "u2", 1)[0].Msg.Content)
	assert.Equal(t, []string{"w0", "w1", "w2"}, ids(s.PeekOffline("w", "", 10)))
	sput(t, s, "u", "u3")
	n, _ := s.OfflineLen("")
	assert.Equal(t, 6, n)
	d := sput(t, s, "x", "x0")
	require.Len(t, d, 1)
	assert.Equal(t, "w0", d[0].Msg.ID, "the arrival order across users came back")
}

// storeDurableCallbackInOrder: Done callbacks of different kinds of writes
// come in the order the writes were made.
func storeDurableCallbackInOrder(t *testing.T, f StoreFactory) {
	s := openStore(t, f(t), store.Config{})
	order := make(chan int, 40)
	for i := range 40 {
		report := func(err error) {
			assert.NoError(t, err)
			order <- i
		}
		var err error
		switch i % 4 {
		case 0, 1:
			_, err = s.PutOffline("u", store.Entry{Msg: Msg(fmt.Sprint(i), "x")}, report)
		case 2:
			err = s.PutPending(store.PendingAck{User: "u", Entry: store.Entry{Msg: Msg(fmt.Sprint(i), "x")}}, report)
		case 3:
			s.RemovePending("u", fmt.Sprint(i-1), report)
		}
		require.NoError(t, err)
	}
	for i := range 40 {
		select {
		case got := <-order:
			require.Equal(t, i, got)
		case <-time.After(5 * time.Second):
			t.Fatal("callbacks stopped")
		}
	}
}

// storeGiveUpOrder: the hub's give-up path (offline first, then out of
// pending, neither waited for) leaves the message in the offline store.
func storeGiveUpOrder(t *testing.T, f StoreFactory) {
	open := f(t)
	s, err := open(store.Config{})
	require.NoError(t, err)
	done, ch := durable()
	require.NoError(t, s.PutPending(store.PendingAck{User: "u", Entry: store.Entry{Msg: Msg("g", "x")}}, done))
	require.NoError(t, waitDone(t, ch))
	_, err = s.PutOffline("u", store.Entry{Msg: Msg("g", "x")}, nil)
	require.NoError(t, err)
	s.RemovePending("u", "g", nil)
	require.NoError(t, s.Close())

	s = openStore(t, open, store.Config{})
	assert.Equal(t, []string{"g"}, ids(s.PeekOffline("u", "", 10)))
	n := 0
	require.NoError(t, s.LoadPending(func(store.PendingAck) bool { n++; return true }))
	assert.Zero(t, n)
}

func storePending(t *testing.T, f StoreFactory) {
	open := f(t)
	s, err := open(store.Config{})
	require.NoError(t, err)
	for i := range 3 {
		done, ch := durable()
		require.NoError(t, s.PutPending(store.PendingAck{User: "u", Entry: store.Entry{Msg: Msg(fmt.Sprint("p", i), "x")}}, done))
		require.NoError(t, waitDone(t, ch))
	}
	require.NoError(t, s.PutPending(store.PendingAck{User: "u", Entry: store.Entry{Msg: Msg("p1", "x")}, Attempt: 2}, nil))
	s.RemovePending("u", "p0", nil)
	require.NoError(t, s.Close())

	s = openStore(t, open, store.Config{})
	got := map[string]int{}
	require.NoError(t, s.LoadPending(func(p store.PendingAck) bool {
		assert.Equal(t, "u", p.User)
		got[p.Msg.ID] = p.Attempt
		return true
	}))
	assert.Equal(t, map[string]int{"p1": 2, "p2": 0}, got)
}

func sloadSeq(t *testing.T, s store.Store, stream string) store.SeqState {
	t.Helper()
	ch := make(chan store.SeqState, 1)
	errs := make(chan error, 1)
	s.LoadSeq(stream, func(st store.SeqState, err error) { errs <- err; ch <- st })
	require.NoError(t, waitDone(t, errs))
	return <-ch
}

func storeSequences(t *testing.T, f StoreFactory) {
	open := f(t)
	s, err := open(store.Config{SeqBlock: 10})
	require.NoError(t, err)
	_, err = s.NextSeq("u")
	require.ErrorIs(t, err, store.ErrSeqNotLoaded)
	assert.Equal(t, store.SeqState{Last: 0, Exact: true}, sloadSeq(t, s, "u"))
	for want := int64(1); want <= 25; want++ { // past two blocks
		var n int64
		require.Eventually(t, func() bool { n, err = s.NextSeq("u"); return err == nil }, 5*time.Second, time.Millisecond)
		require.Equal(t, want, n)
	}
	s.EvictSeq("u")
	_, err = s.NextSeq("u")
	require.ErrorIs(t, err, store.ErrSeqNotLoaded)
	assert.Equal(t, store.SeqState{Last: 25, Exact: true}, sloadSeq(t, s, "u"), "an evicted stream goes on without a gap")
	n, err := s.NextSeq("u")
	require.NoError(t, err)
	assert.Equal(t, int64(26), n)
	sloadSeq(t, s, "t:room")
	n, err = s.NextSeq("t:room")
	require.NoError(t, err)
	assert.Equal(t, int64(1), n, "streams are independent")
	require.NoError(t, s.Close())

	s = openStore(t, open, store.Config{SeqBlock: 10})
	assert.Equal(t, store.SeqState{Last: 26, Exact: true}, sloadSeq(t, s, "u"), "Close writes the exact last number")
	assert.Equal(t, store.SeqState{Last: 1, Exact: true}, sloadSeq(t, s, "t:room"))
}

func sreadHistory(t *testing.T, s store.Store, user, after string, n int) ([]string, bool) {
	t.Helper()
	type res struct {
		es    []store.Entry
		found bool
		err   error
	}
	ch := make(chan res, 1)
	s.ReadHistory(user, after, n, func(es []store.Entry, found bool, err error) { ch <- res{es, found, err} })
	select {
	case r := <-ch:
		require.NoError(t, r.err)
		return ids(r.es), r.found
	case <-time.After(5 * time.Second):
		t.Fatal("no history answer")
		return nil, false
	}
}

func storeHistory(t *testing.T, f StoreFactory) {
	open := f(t)
	s, err := open(store.Config{HistoryPerUser: 4})
	require.NoError(t, err)
	for i := range 6 {
		s.AppendHistory("u", store.Entry{Msg: Msg(fmt.Sprint("h", i), "x")})
	}
	got, found := sreadHistory(t, s, "u", "h2", 10)
	assert.True(t, found)
	assert.Equal(t, []string{"h3", "h4", "h5"}, got)
	got, found = sreadHistory(t, s, "u", "h3", 1)
	assert.True(t, found)
	assert.Equal(t, []string{"h4"}, got)
	_, found = sreadHistory(t, s, "u", "h1", 10)
	assert.False(t, found, "past the bound: the position is lost")
	got, found = sreadHistory(t, s, "u", "", 10)
	assert.True(t, found)
	assert.Equal(t, []string{"h2", "h3", "h4", "h5"}, got)
	_, found = sreadHistory(t, s, "nobody", "h1", 10)
	assert.False(t, found)
	require.NoError(t, s.Close())

	s = openStore(t, open, store.Config{HistoryPerUser: 4})
	got, found = sreadHistory(t, s, "u", "h4", 10)
	assert.True(t, found)
	assert.Equal(t, []string{"h5"}, got, "kept across a restart")
}

func storeHistoryTTL(t *testing.T, f StoreFactory) {
	s := openStore(t, f(t), store.Config{HistoryTTL: 100 * time.Millisecond, FlushInterval: time.Millisecond, SweepInterval: 5 * time.Millisecond})
	s.AppendHistory("u", store.Entry{Msg: Msg("old", "x")})
	s.AppendHistory("u", store.Entry{Msg: Msg("next", "x")})
	_, found := sreadHistory(t, s, "u", "old", 10)
	require.True(t, found)
	require.Eventually(t, func() bool { _, found := sreadHistory(t, s, "u", "old", 10); return !found },
		5*time.Second, 20*time.Millisecond, "expired by age")
	got, found := sreadHistory(t, s, "u", "", 10)
	assert.True(t, found)
	assert.Empty(t, got)
}

func storeTicketsAndRecords(t *testing.T, f StoreFactory) {
	open := f(t)
	s, err := open(store.Config{})
	require.NoError(t, err)
	done, ch := durable()
	s.JoinTicket("t1", "a", nil)
	s.JoinTicket("t1", "b", nil)
	s.JoinTicket("t2", "a", nil)
	s.LeaveTicket("t1", "a", done)
	require.NoError(t, waitDone(t, ch))
	s.PutRecord("r1", bytesOf(`{"id":"r1"}`))
	s.PutRecord("r2", bytesOf(`{"id":"r2"}`))
	s.DeleteRecord("r1")
	require.NoError(t, s.Close()) // write-behind records are flushed by Close

	s = openStore(t, open, store.Config{})
	members := map[string][]string{}
	require.NoError(t, s.LoadTickets(func(ticket, user string) bool {
		members[ticket] = append(members[ticket], user)
		return true
	}))
	assert.Equal(t, map[string][]string{"t1": {"b"}, "t2": {"a"}}, members)
	recs := map[string]string{}
	require.NoError(t, s.LoadRecords(func(id string, data []byte) bool { recs[id] = string(data); return true }))
	assert.Equal(t, map[string]string{"r2": `{"id":"r2"}`}, recs)
}

func storeClosed(t *testing.T, f StoreFactory) {
	s, err := f(t)(store.Config{})
	require.NoError(t, err)
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "Close is idempotent")
	_, err = s.PutOffline("u", store.Entry{Msg: Msg("m", "x")}, func(error) { t.Error("done after a refused put") })
	require.ErrorIs(t, err, store.ErrClosed)
	require.ErrorIs(t, s.PutPending(store.PendingAck{User: "u", Entry: store.Entry{Msg: Msg("m", "x")}}, nil), store.ErrClosed)
	done, ch := durable()
	s.RemoveOffline("u", nil, done)
	require.ErrorIs(t, waitDone(t, ch), store.ErrClosed)
	s.LoadSeq("u", func(_ store.SeqState, err error) { ch <- err })
	require.ErrorIs(t, waitDone(t, ch), store.ErrClosed)
	s.ReadHistory("u", "", 1, func(_ []store.Entry, _ bool, err error) { ch <- err })
	require.ErrorIs(t, waitDone(t, ch), store.ErrClosed)
	require.ErrorIs(t, s.LoadRecords(func(string, []byte) bool { return true }), store.ErrClosed)
}

func storeBadInput(t *testing.T, f StoreFactory) {
	s := openStore(t, f(t), store.Config{MaxKey: 16})
	long := string(make([]byte, 17))
	_, err := s.PutOffline("", store.Entry{Msg: Msg("m", "x")}, nil)
	require.ErrorIs(t, err, store.ErrInvalid)
	_, err = s.PutOffline(long, store.Entry{Msg: Msg("m", "x")}, nil)
	require.ErrorIs(t, err, store.ErrInvalid)
	_, err = s.PutOffline("u", store.Entry{}, nil)
	require.ErrorIs(t, err, store.ErrInvalid)
	require.ErrorIs(t, s.PutPending(store.PendingAck{User: "u", Entry: store.Entry{Msg: Msg(long, "x")}}, nil), store.ErrInvalid)
	_, err = s.PutOffline("u", store.Entry{Msg: &protocol.Message{ID: "bad", Data: map[string]any{"f": func() {}}}}, nil)
	require.Error(t, err, "a message that cannot be encoded is refused, not kept")
	ch := make(chan error, 1)
	s.LoadSeq(long, func(_ store.SeqState, err error) { ch <- err })
	require.ErrorIs(t, <-ch, store.ErrInvalid)
	s.JoinTicket("", "u", func(err error) { ch <- err })
	require.ErrorIs(t, <-ch, store.ErrInvalid)
	s.RemovePending("u", long, func(err error) { ch <- err })
	require.ErrorIs(t, <-ch, store.ErrInvalid)
	// users, tickets and ids with NATS's special characters are kept apart
	for _, u := range []string{"a.b", "a", "*", ">", "a b"} {
		sput(t, s, u, "m.*>")
	}
	assert.Equal(t, []string{"m.*>"}, ids(s.PeekOffline("a.b", "", 10)))
	done, dch := durable()
	_, err = s.PutOffline("u", store.Entry{Msg: Msg("ok", "x")}, done)
	require.NoError(t, err)
	require.NoError(t, waitDone(t, dch))
}

func storeQueueOnlyFromAnyone(t *testing.T, f StoreFactory) {
	s := openStore(t, f(t), store.Config{})
	var wg sync.WaitGroup
	for g := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				id := fmt.Sprint(g, "-", i)
				assert.NoError(t, s.PutPending(store.PendingAck{User: "u", Entry: store.Entry{Msg: Msg(id, "x")}}, nil))
				s.RemovePending("u", id, nil)
				s.AppendHistory("u", store.Entry{Msg: Msg(id, "x")})
				s.PutRecord(id, bytesOf("{}"))
				s.JoinTicket("t", id, nil)
				_ = s.Stats()
			}
		}()
	}
	for i := range 100 {
		sput(t, s, "owner", fmt.Sprint(i))
		s.PeekOffline("owner", "", 5)
	}
	wg.Wait()
	n := 0
	require.NoError(t, s.LoadTickets(func(string, string) bool { n++; return true }))
	assert.Equal(t, 150, n)
}
