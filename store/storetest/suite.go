package storetest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Factory makes a fresh engine for one test, and a function that makes the
// engine again over the same data (after the DB over the first was closed).
type Factory func(t *testing.T) (first store.Engine, again func() store.Engine)

// Run runs the suite.
func Run(t *testing.T, f Factory) {
	tests := map[string]func(*testing.T, Factory){
		"OfflineOrderAndPaging":    testOfflineOrderAndPaging,
		"OfflineBounds":            testOfflineBounds,
		"OfflineSurvivesReopen":    testOfflineSurvivesReopen,
		"DurableCallbackInOrder":   testDurableCallbackInOrder,
		"GroupCommit":              testGroupCommit,
		"OwnerNeverWaits":          testOwnerNeverWaits,
		"FailedWriteIsReported":    testFailedWriteIsReported,
		"Pending":                  testPending,
		"Sequences":                testSequences,
		"SequenceBusy":             testSequenceBusy,
		"History":                  testHistory,
		"HistoryTTL":               testHistoryTTL,
		"HistoryBoundTrickle":      testHistoryBoundTrickle,
		"HistoryCountRollback":     testHistoryCountAfterRollback,
		"HistoryCountAfterSweep":   testHistoryCountAfterSweep,
		"HistoryOldLayout":         testHistoryOldLayout,
		"HistoryOldLayoutTimes":    testHistoryOldLayoutTimes,
		"HistoryMaxBytes":          testHistoryMaxBytes,
		"HistoryBadSegment":        testHistoryBadSegment,
		"LazyWrites":               testLazyWrites,
		"TicketsAndRecords":        testTicketsAndRecords,
		"Closed":                   testClosed,
		"BadInput":                 testBadInput,
		"QueueOnlyFromAnyone":      testQueueOnlyFromAnyone,
		"CorruptValues":            testCorruptValues,
		"RecordsCoalesce":          testRecordsCoalesce,
		"RecordsQueueBound":        testRecordsQueueBound,
		"RecordsOldLayout":         testRecordsOldLayout,
		"RecordsCompaction":        testRecordsCompaction,
		"RecordsAfterRollback":     testRecordsAfterRollback,
		"RecordSlots":              testRecordSlots,
		"RecordSlotsAfterRollback": testRecordSlotsAfterRollback,
		"RecordChanges":            testRecordChanges,
	}
	for name, fn := range tests {
		t.Run(name, func(t *testing.T) { fn(t, f) })
	}
}

// Msg makes a message with this id and content.
func Msg(id, content string) *protocol.Message {
	return &protocol.Message{ID: id, Type: protocol.TypeText, From: "system", Content: content, CreateAt: time.Unix(1700000000, 0).UTC()}
}

func open(t *testing.T, eng store.Engine, cfg store.Config) *store.DB {
	t.Helper()
	db, err := store.Open(eng, cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// durable is a Done that a test waits on.
func durable() (store.Done, chan error) {
	ch := make(chan error, 1)
	return func(err error) { ch <- err }, ch
}

func waitDone(t *testing.T, ch chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("no durable callback within 5 s")
		return nil
	}
}

func ids(es []store.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Msg.ID
	}
	return out
}

func put(t *testing.T, db *store.DB, user, id string) []store.Dropped {
	t.Helper()
	dropped, err := db.PutOffline(user, store.Entry{Msg: Msg(id, "x")}, nil)
	require.NoError(t, err)
	return dropped
}

func testOfflineOrderAndPaging(t *testing.T, f Factory) {
	eng, _ := f(t)
	db := open(t, eng, store.Config{})
	for i := range 5 {
		put(t, db, "u", fmt.Sprint("m", i))
	}
	put(t, db, "u", "m2") // a resend: kept once
	put(t, db, "v", "m0") // the same id for another user is another message
	n, _ := db.OfflineLen("u")
	assert.Equal(t, 5, n)
	assert.Equal(t, []string{"m0", "m1"}, ids(db.PeekOffline("u", "", 2)))
	assert.Equal(t, []string{"m2", "m3"}, ids(db.PeekOffline("u", "m1", 2)))
	assert.Equal(t, []string{"m4"}, ids(db.PeekOffline("u", "m3", 2)))
	assert.Empty(t, db.PeekOffline("u", "m4", 2))
	assert.Equal(t, []string{"m0"}, ids(db.PeekOffline("u", "gone", 1)), "an unknown after reads from the oldest")
	db.RemoveOffline("u", []string{"m0", "m1", "nope"}, nil)
	assert.Equal(t, []string{"m2", "m3", "m4"}, ids(db.PeekOffline("u", "", 10)))
	db.RemoveOffline("u", []string{"m3"}, nil) // out of order too
	assert.Equal(t, []string{"m2", "m4"}, ids(db.PeekOffline("u", "", 10)))
	n, _ = db.OfflineLen("")
	assert.Equal(t, 3, n)
}

func testOfflineBounds(t *testing.T, f Factory) {
	eng, _ := f(t)
	db := open(t, eng, store.Config{OfflinePerUser: 3, OfflineTotal: 5})
	for i := range 4 {
		put(t, db, "a", fmt.Sprint("a", i))
	}
	assert.Equal(t, []string{"a1", "a2", "a3"}, ids(db.PeekOffline("a", "", 10)), "the user's oldest goes")
	put(t, db, "b", "b0")
	put(t, db, "b", "b1")
	d := put(t, db, "b", "b2") // total 6 > 5: the oldest of all goes (today's behaviour)
	require.Len(t, d, 1)
	assert.Equal(t, "a", d[0].User)
	assert.Equal(t, "a1", d[0].Msg.ID)

	// by bytes: each entry counts its JSON and its user
	e := store.Entry{Msg: Msg("c0", "x")} // every id below has two characters
	data, err := protocol.Encode(e.Msg)
	require.NoError(t, err)
	one := int64(len(data) + 1)
	eng2, _ := f(t)
	db2 := open(t, eng2, store.Config{OfflinePerUserBytes: 2 * one, OfflineTotalBytes: 3 * one, RefuseWhenFull: true})
	for i := range 3 {
		_, err := db2.PutOffline("c", store.Entry{Msg: Msg(fmt.Sprint("c", i), "x")}, nil)
		require.NoError(t, err)
	}
	n, b := db2.OfflineLen("c")
	assert.Equal(t, 2, n)
	assert.Equal(t, 2*one, b)
	_, err = db2.PutOffline("d", store.Entry{Msg: Msg("d0", "x")}, nil)
	require.NoError(t, err)
	_, err = db2.PutOffline("e", store.Entry{Msg: Msg("e0", "x")}, nil)
	require.ErrorIs(t, err, store.ErrFull, "refused rather than evicting another user's")
	_, err = db2.PutOffline("c", store.Entry{Msg: Msg("c8", "x")}, nil)
	require.NoError(t, err, "a user over its own bound evicts its own oldest")
	_, err = db2.PutOffline("c", store.Entry{Msg: Msg("c9", string(make([]byte, 3*one)))}, nil)
	require.ErrorIs(t, err, store.ErrTooLarge)
}

func testOfflineSurvivesReopen(t *testing.T, f Factory) {
	eng, again := f(t)
	db, err := store.Open(eng, store.Config{})
	require.NoError(t, err)
	for i := range 3 {
		put(t, db, "u", fmt.Sprint("u", i))
		put(t, db, "w", fmt.Sprint("w", i))
	}
	db.RemoveOffline("u", []string{"u0"}, nil)
	done, ch := durable()
	_, err = db.PutOffline("u", store.Entry{Msg: Msg("u3", "last")}, done)
	require.NoError(t, err)
	require.NoError(t, waitDone(t, ch))
	require.NoError(t, db.Close())

	db = open(t, again(), store.Config{OfflineTotal: 6})
	assert.Equal(t, []string{"u1", "u2", "u3"}, ids(db.PeekOffline("u", "", 10)))
	assert.Equal(t, "last", db.PeekOffline("u", "u2", 1)[0].Msg.Content)
	assert.Equal(t, []string{"w0", "w1", "w2"}, ids(db.PeekOffline("w", "", 10)))
	put(t, db, "u", "u3") // de-duplicated after a reload too
	n, _ := db.OfflineLen("")
	assert.Equal(t, 6, n)
	d := put(t, db, "x", "x0") // the arrival order across users came back: w0 is the oldest now
	require.Len(t, d, 1)
	assert.Equal(t, "w0", d[0].Msg.ID)
}

func testDurableCallbackInOrder(t *testing.T, f Factory) {
	eng, _ := f(t)
	db := open(t, eng, store.Config{})
	order := make(chan int, 30)
	for i := range 30 {
		_, err := db.PutOffline("u", store.Entry{Msg: Msg(fmt.Sprint(i), "x")}, func(err error) {
			assert.NoError(t, err)
			order <- i
		})
		require.NoError(t, err)
	}
	for i := range 30 {
		select {
		case got := <-order:
			require.Equal(t, i, got)
		case <-time.After(5 * time.Second):
			t.Fatal("callbacks stopped")
		}
	}
}

func testGroupCommit(t *testing.T, f Factory) {
	inner, _ := f(t)
	eng := &FaultyEngine{Engine: inner}
	db := open(t, eng, store.Config{})
	before := eng.Updates.Load()
	eng.Hold()
	chans := make([]chan error, 100)
	for i := range chans {
		var done store.Done
		done, chans[i] = durable()
		_, err := db.PutOffline("u", store.Entry{Msg: Msg(fmt.Sprint(i), "x")}, done)
		require.NoError(t, err)
	}
	eng.Release()
	for _, ch := range chans {
		require.NoError(t, waitDone(t, ch))
	}
	// one commit was held with the first write(s); the rest queued behind it form one more
	assert.LessOrEqual(t, eng.Updates.Load()-before, int64(3), "100 writes in a few commits")
}

func testOwnerNeverWaits(t *testing.T, f Factory) {
	inner, _ := f(t)
	eng := &FaultyEngine{Engine: inner}
	db := open(t, eng, store.Config{MaxQueueBytes: 4 << 10})
	eng.Hold()
	defer eng.Release()
	var err error
	start := time.Now()
	for i := 0; i < 1000 && err == nil; i++ {
		_, err = db.PutOffline("u", store.Entry{Msg: Msg(fmt.Sprint(i), "some content")}, func(error) {})
	}
	require.ErrorIs(t, err, store.ErrBusy, "a stuck disk refuses new puts instead of blocking")
	assert.Less(t, time.Since(start), time.Second)
	db.RemoveOffline("u", []string{"0"}, nil) // a delete is never refused

	// history and records, written behind, are dropped rather than queued past the bound
	for i := range 100 {
		db.AppendHistory("u", store.Entry{Msg: Msg(fmt.Sprint("h", i), "some content")})
		db.PutRecord(fmt.Sprint("r", i), bytesOf("{}"))
	}
	assert.LessOrEqual(t, db.Stats().QueuedBytes, int64(4<<10), "queued within MaxQueueBytes")
	assert.GreaterOrEqual(t, db.Stats().RecordErrors, int64(90), "each record dropped is counted")
}

func testFailedWriteIsReported(t *testing.T, f Factory) {
	inner, again := f(t)
	eng := &FaultyEngine{Engine: inner}
	db, err := store.Open(eng, store.Config{})
	require.NoError(t, err)
	done, ch := durable()
	_, err = db.PutOffline("u", store.Entry{Msg: Msg("ok", "x")}, done)
	require.NoError(t, err)
	require.NoError(t, waitDone(t, ch))

	eng.Fail.Store(true)
	done, ch = durable()
	_, err = db.PutOffline("u", store.Entry{Msg: Msg("lost", "x")}, done)
	require.NoError(t, err)
	require.ErrorIs(t, waitDone(t, ch), ErrInjected, "the caller hears of the failure: no accepted-then-lost")
	db.RemoveOffline("u", []string{"lost"}, nil) // what the hub does on that error
	perr := make(chan error, 1)
	require.NoError(t, db.PutPending(store.PendingAck{User: "u", Entry: store.Entry{Msg: Msg("p", "x")}}, func(err error) { perr <- err }))
	require.ErrorIs(t, waitDone(t, perr), ErrInjected)

	eng.Fail.Store(false) // the disk has room again: writes go on
	done, ch = durable()
	_, err = db.PutOffline("u", store.Entry{Msg: Msg("after", "x")}, done)
	require.NoError(t, err)
	require.NoError(t, waitDone(t, ch))
	assert.Positive(t, db.Stats().Failed)
	require.NoError(t, db.Close())

	db = open(t, again(), store.Config{})
	assert.Equal(t, []string{"ok", "after"}, ids(db.PeekOffline("u", "", 10)))
}

func testPending(t *testing.T, f Factory) {
	eng, again := f(t)
	db, err := store.Open(eng, store.Config{})
	require.NoError(t, err)
	for i := range 3 {
		done, ch := durable()
		require.NoError(t, db.PutPending(store.PendingAck{User: "u", Entry: store.Entry{Msg: Msg(fmt.Sprint("p", i), "x")}}, done))
		require.NoError(t, waitDone(t, ch))
	}
	require.NoError(t, db.PutPending(store.PendingAck{User: "u", Entry: store.Entry{Msg: Msg("p1", "x")}, Attempt: 2}, nil))
	db.RemovePending("u", "p0", nil)
	require.NoError(t, db.Close())

	db = open(t, again(), store.Config{})
	got := map[string]int{}
	require.NoError(t, db.LoadPending(func(p store.PendingAck) bool {
		assert.Equal(t, "u", p.User)
		got[p.Msg.ID] = p.Attempt
		return true
	}))
	assert.Equal(t, map[string]int{"p1": 2, "p2": 0}, got)
}

func loadSeq(t *testing.T, db *store.DB, stream string) store.SeqState {
	t.Helper()
	ch := make(chan store.SeqState, 1)
	errs := make(chan error, 1)
	db.LoadSeq(stream, func(s store.SeqState, err error) { errs <- err; ch <- s })
	require.NoError(t, waitDone(t, errs))
	return <-ch
}

func testSequences(t *testing.T, f Factory) {
	eng, again := f(t)
	db, err := store.Open(eng, store.Config{SeqBlock: 10})
	require.NoError(t, err)
	_, err = db.NextSeq("u")
	require.ErrorIs(t, err, store.ErrSeqNotLoaded)
	assert.Equal(t, store.SeqState{Last: 0, Exact: true}, loadSeq(t, db, "u"))
	for want := int64(1); want <= 7; want++ {
		n, err := db.NextSeq("u")
		require.NoError(t, err)
		require.Equal(t, want, n)
	}
	db.EvictSeq("u")
	_, err = db.NextSeq("u")
	require.ErrorIs(t, err, store.ErrSeqNotLoaded)
	assert.Equal(t, store.SeqState{Last: 7, Exact: true}, loadSeq(t, db, "u"), "an evicted stream goes on without a gap")
	n, err := db.NextSeq("u")
	require.NoError(t, err)
	assert.Equal(t, int64(8), n)
	loadSeq(t, db, "t:room")
	n, err = db.NextSeq("t:room")
	require.NoError(t, err)
	assert.Equal(t, int64(1), n, "streams are independent")
	require.NoError(t, db.Close())

	db = open(t, again(), store.Config{SeqBlock: 10})
	assert.Equal(t, store.SeqState{Last: 8, Exact: true}, loadSeq(t, db, "u"), "Close writes the exact last number")
	assert.Equal(t, store.SeqState{Last: 1, Exact: true}, loadSeq(t, db, "t:room"))
}

func testSequenceBusy(t *testing.T, f Factory) {
	inner, _ := f(t)
	eng := &FaultyEngine{Engine: inner}
	db := open(t, eng, store.Config{SeqBlock: 4})
	loadSeq(t, db, "u")
	eng.Hold() // the reservation of the next block cannot reach the disk
	var got []int64
	var err error
	for err == nil {
		var n int64
		if n, err = db.NextSeq("u"); err == nil {
			got = append(got, n)
		}
	}
	require.ErrorIs(t, err, store.ErrSeqBusy)
	assert.Equal(t, []int64{1, 2, 3, 4}, got, "never past what is reserved on disk")
	eng.Release()
	require.Eventually(t, func() bool {
		n, err := db.NextSeq("u")
		return err == nil && n == 5
	}, 5*time.Second, time.Millisecond)
}

func readHistory(t *testing.T, db *store.DB, user, after string, n int) ([]string, bool) {
	t.Helper()
	type res struct {
		es    []store.Entry
		found bool
		err   error
	}
	ch := make(chan res, 1)
	db.ReadHistory(user, after, n, func(es []store.Entry, found bool, err error) { ch <- res{es, found, err} })
	select {
	case r := <-ch:
		require.NoError(t, r.err)
		return ids(r.es), r.found
	case <-time.After(5 * time.Second):
		t.Fatal("no history answer")
		return nil, false
	}
}

func testHistory(t *testing.T, f Factory) {
	eng, again := f(t)
	db, err := store.Open(eng, store.Config{HistoryPerUser: 4})
	require.NoError(t, err)
	for i := range 6 {
		db.AppendHistory("u", store.Entry{Msg: Msg(fmt.Sprint("h", i), "x")})
	}
	got, found := readHistory(t, db, "u", "h2", 10)
	assert.True(t, found)
	assert.Equal(t, []string{"h3", "h4", "h5"}, got)
	got, found = readHistory(t, db, "u", "h3", 1)
	assert.True(t, found)
	assert.Equal(t, []string{"h4"}, got)
	_, found = readHistory(t, db, "u", "h1", 10)
	assert.False(t, found, "past the bound: the position is lost")
	got, found = readHistory(t, db, "u", "", 10)
	assert.True(t, found)
	assert.Equal(t, []string{"h2", "h3", "h4", "h5"}, got)
	_, found = readHistory(t, db, "nobody", "h1", 10)
	assert.False(t, found)
	require.NoError(t, db.Close())

	db = open(t, again(), store.Config{HistoryPerUser: 4})
	got, found = readHistory(t, db, "u", "h4", 10)
	assert.True(t, found)
	assert.Equal(t, []string{"h5"}, got, "kept across a restart")
}

func testHistoryTTL(t *testing.T, f Factory) {
	eng, _ := f(t)
	db := open(t, eng, store.Config{HistoryTTL: 100 * time.Millisecond, FlushInterval: time.Millisecond, SweepInterval: 5 * time.Millisecond})
	db.AppendHistory("u", store.Entry{Msg: Msg("old", "x")})
	db.AppendHistory("u", store.Entry{Msg: Msg("next", "x")})
	_, found := readHistory(t, db, "u", "old", 10)
	require.True(t, found)
	require.Eventually(t, func() bool { _, found := readHistory(t, db, "u", "old", 10); return !found },
		5*time.Second, 20*time.Millisecond, "expired by age")
	got, found := readHistory(t, db, "u", "", 10)
	assert.True(t, found)
	assert.Empty(t, got)

	// users who receive nothing more are swept, a few thousand entries at a time
	const users = 5000
	for i := range users {
		db.AppendHistory(fmt.Sprint("gone", i), store.Entry{Msg: Msg("m", "x")})
	}
	require.Eventually(t, func() bool { return db.Stats().HistorySwept == users+2 }, 10*time.Second, 10*time.Millisecond,
		"swept: %d", db.Stats().HistorySwept)
}

func testTicketsAndRecords(t *testing.T, f Factory) {
	eng, again := f(t)
	db, err := store.Open(eng, store.Config{})
	require.NoError(t, err)
	done, ch := durable()
	db.JoinTicket("t1", "a", nil)
	db.JoinTicket("t1", "b", nil)
	db.JoinTicket("t2", "a", nil)
	db.LeaveTicket("t1", "a", done)
	require.NoError(t, waitDone(t, ch))
	db.PutRecord("r1", bytesOf(`{"id":"r1"}`))
	db.PutRecord("r2", bytesOf(`{"id":"r2"}`))
	db.DeleteRecord("r1")
	require.NoError(t, db.Close()) // write-behind records are flushed by Close

	db = open(t, again(), store.Config{})
	members := map[string][]string{}
	require.NoError(t, db.LoadTickets(func(ticket, user string) bool {
		members[ticket] = append(members[ticket], user)
		return true
	}))
	assert.Equal(t, map[string][]string{"t1": {"b"}, "t2": {"a"}}, members)
	recs := map[string]string{}
	require.NoError(t, db.LoadRecords(func(id string, data []byte) bool { recs[id] = string(data); return true }))
	assert.Equal(t, map[string]string{"r2": `{"id":"r2"}`}, recs)
}

func testClosed(t *testing.T, f Factory) {
	eng, _ := f(t)
	db, err := store.Open(eng, store.Config{})
	require.NoError(t, err)
	require.NoError(t, db.Close())
	require.NoError(t, db.Close(), "Close is idempotent")
	_, err = db.PutOffline("u", store.Entry{Msg: Msg("m", "x")}, func(error) { t.Error("done after a refused put") })
	require.ErrorIs(t, err, store.ErrClosed)
	require.ErrorIs(t, db.PutPending(store.PendingAck{User: "u", Entry: store.Entry{Msg: Msg("m", "x")}}, nil), store.ErrClosed)
	done, ch := durable()
	db.RemoveOffline("u", nil, done)
	require.ErrorIs(t, waitDone(t, ch), store.ErrClosed)
	db.LoadSeq("u", func(_ store.SeqState, err error) { ch <- err })
	require.ErrorIs(t, waitDone(t, ch), store.ErrClosed)
	require.ErrorIs(t, db.LoadRecords(func(string, []byte) bool { return true }), store.ErrClosed)
}

func testBadInput(t *testing.T, f Factory) {
	eng, _ := f(t)
	db := open(t, eng, store.Config{MaxKey: 16})
	long := string(make([]byte, 17))
	_, err := db.PutOffline("", store.Entry{Msg: Msg("m", "x")}, nil)
	require.ErrorIs(t, err, store.ErrInvalid)
	_, err = db.PutOffline(long, store.Entry{Msg: Msg("m", "x")}, nil)
	require.ErrorIs(t, err, store.ErrInvalid)
	_, err = db.PutOffline("u", store.Entry{}, nil)
	require.ErrorIs(t, err, store.ErrInvalid)
	require.ErrorIs(t, db.PutPending(store.PendingAck{User: "u", Entry: store.Entry{Msg: Msg(long, "x")}}, nil), store.ErrInvalid)
	_, err = db.PutOffline("u", store.Entry{Msg: &protocol.Message{ID: "bad", Data: map[string]any{"f": func() {}}}}, nil)
	require.Error(t, err, "a message that cannot be encoded is refused, not kept")
	ch := make(chan error, 1)
	db.LoadSeq(long, func(_ store.SeqState, err error) { ch <- err })
	require.ErrorIs(t, <-ch, store.ErrInvalid)
	db.JoinTicket("", "u", func(err error) { ch <- err })
	require.ErrorIs(t, <-ch, store.ErrInvalid)
	db.RemovePending("u", long, func(err error) { ch <- err })
	require.ErrorIs(t, <-ch, store.ErrInvalid)
	// nothing above reached the disk, and the store still works
	done, dch := durable()
	_, err = db.PutOffline("u", store.Entry{Msg: Msg("ok", "x")}, done)
	require.NoError(t, err)
	require.NoError(t, waitDone(t, dch))
}

// testQueueOnlyFromAnyone: the methods that only queue work run from other
// goroutines while the owner uses the offline store (-race checks it).
func testQueueOnlyFromAnyone(t *testing.T, f Factory) {
	eng, _ := f(t)
	db := open(t, eng, store.Config{})
	var wg sync.WaitGroup
	for g := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				id := fmt.Sprint(g, "-", i)
				assert.NoError(t, db.PutPending(store.PendingAck{User: "u", Entry: store.Entry{Msg: Msg(id, "x")}}, nil))
				db.RemovePending("u", id, nil)
				db.AppendHistory("u", store.Entry{Msg: Msg(id, "x")})
				db.PutRecord(id, bytesOf("{}"))
				db.JoinTicket("t", id, nil)
				_ = db.Stats()
			}
		}()
	}
	for i := range 100 {
		put(t, db, "owner", fmt.Sprint(i))
		db.PeekOffline("owner", "", 5)
	}
	wg.Wait()
	n := 0
	require.NoError(t, db.LoadTickets(func(string, string) bool { n++; return true }))
	assert.Equal(t, 150, n)
}

// testCorruptValues: a value on disk that does not decode is a clear error
// (store.ErrCorrupt) where it is read, never a panic.
func testCorruptValues(t *testing.T, f Factory) {
	eng, again := f(t)
	junk := func(b store.Bucket, group, key string) {
		require.NoError(t, eng.Update(func(tx store.Tx) error { return tx.Put(b, []byte(group), []byte(key), []byte("\xff{junk")) }))
	}
	junk(store.BucketOffline, "u", "\x00\x00\x00\x00\x00\x00\x00\x01")
	_, err := store.Open(eng, store.Config{})
	require.ErrorIs(t, err, store.ErrCorrupt)
	assert.Contains(t, err.Error(), `"u"`)

	eng = again()
	require.NoError(t, eng.Update(func(tx store.Tx) error {
		return tx.Delete(store.BucketOffline, []byte("u"), []byte("\x00\x00\x00\x00\x00\x00\x00\x01"))
	}))
	junk(store.BucketPending, "u", "m1")
	junk(store.BucketSeq, "s", "\x00")
	// a segment of the history log (group "", key its time: within the TTL)
	junk(store.BucketHistory, "", string(binary.BigEndian.AppendUint64(nil, uint64(time.Now().UnixNano()))))
	db := open(t, eng, store.Config{})
	require.ErrorIs(t, db.LoadPending(func(store.PendingAck) bool { return true }), store.ErrCorrupt)
	ch := make(chan error, 1)
	db.LoadSeq("s", func(_ store.SeqState, err error) { ch <- err })
	require.ErrorIs(t, waitDone(t, ch), store.ErrCorrupt)
	db.ReadHistory("u", "", 10, func(_ []store.Entry, _ bool, err error) { ch <- err })
	require.ErrorIs(t, waitDone(t, ch), store.ErrCorrupt)
	// the store goes on
	done, dch := durable()
	_, err = db.PutOffline("u", store.Entry{Msg: Msg("ok", "x")}, done)
	require.NoError(t, err)
	require.NoError(t, waitDone(t, dch))
}

func bytesOf(s string) func() ([]byte, error) {
	return func() ([]byte, error) { return []byte(s), nil }
}

// testRecordsCoalesce: a record changed several times within one commit is
// encoded and written once, as it was last; one that fails to encode costs
// only itself.
func testRecordsCoalesce(t *testing.T, f Factory) {
	inner, _ := f(t)
	eng := &FaultyEngine{Engine: inner}
	db := open(t, eng, store.Config{})
	eng.Hold()
	var encodes atomic.Int32
	for i := range 5 {
		db.PutRecord("r", func() ([]byte, error) { encodes.Add(1); return []byte(fmt.Sprint(i)), nil })
	}
	db.PutRecord("gone", bytesOf("x"))
	db.DeleteRecord("gone")
	db.PutRecord("bad", func() ([]byte, error) { return nil, errors.New("cannot encode") })
	done, ch := durable()
	db.JoinTicket("t", "u", done)
	eng.Release()
	require.NoError(t, waitDone(t, ch))
	recs := map[string]string{}
	require.NoError(t, db.LoadRecords(func(id string, data []byte) bool { recs[id] = string(data); return true }))
	assert.Equal(t, map[string]string{"r": "4"}, recs)
	assert.LessOrEqual(t, encodes.Load(), int32(2), "one encode per commit, not per change")
	assert.Equal(t, int64(1), db.Stats().RecordErrors)
}

// testRecordsQueueBound: the records queued count against MaxQueueBytes
// until the writer has taken them, and no longer: a writer that keeps up
// never refuses one; after Close every record is refused and counted.
func testRecordsQueueBound(t *testing.T, f Factory) {
	eng, _ := f(t)
	db, err := store.Open(eng, store.Config{MaxQueueBytes: 4 << 10, FlushInterval: time.Hour})
	require.NoError(t, err)
	for round := range 5 {
		for i := range 6 {
			db.PutRecord(fmt.Sprint("r", round, i), bytesOf("{}"))
		}
		assert.NotZero(t, db.Stats().QueuedBytes, "round %d: the records wait", round)
		assert.Len(t, loadRecords(t, db), 6*(round+1), "a load takes them along")
		assert.Zero(t, db.Stats().QueuedBytes, "round %d: taken, they count no more", round)
	}
	assert.Zero(t, db.Stats().RecordErrors)
	for i := range 20 {
		db.PutRecord(fmt.Sprint("x", i), bytesOf("{}"))
	}
	assert.Equal(t, int64(20-8), db.Stats().RecordErrors, "eight records of 512 bytes fill 4 KiB")
	require.NoError(t, db.Close())
	db.PutRecord("late", bytesOf("{}"))
	assert.Equal(t, int64(20-8+1), db.Stats().RecordErrors, "refused after Close")
}
