package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/store"
	"github.com/stretchr/testify/require"
)

// lastIDs is what a history bounded to bound holds after the appends
// prefix0 … prefix(n-1).
func lastIDs(prefix string, n, bound int) []string {
	var out []string
	for i := max(0, n-bound); i < n; i++ {
		out = append(out, fmt.Sprint(prefix, i))
	}
	return out
}

// waitSweeps returns once the writer has applied two more ops than it had:
// with no other caller, two sweeps, so a user's kept count (if any) has left
// memory and its next append must learn it again.
func waitSweeps(t *testing.T, db *store.DB) {
	t.Helper()
	ops := db.Stats().Ops
	require.Eventually(t, func() bool { return db.Stats().Ops >= ops+2 }, 5*time.Second, time.Millisecond, "no sweep")
}

// testHistoryBoundTrickle: the count bound holds after every append, for a
// user who receives one message now and then (sweeps in between), across a
// restart, and when the bound shrinks at a restart. A trim that runs only
// every n-th append, or a count that starts from zero after the user was
// forgotten, lets the history grow past the bound.
func testHistoryBoundTrickle(t *testing.T, f Factory) {
	eng, again := f(t)
	cfg := store.Config{HistoryPerUser: 16, SweepInterval: time.Millisecond, FlushInterval: time.Millisecond}
	db, err := store.Open(eng, cfg)
	require.NoError(t, err)
	const n = 40
	for i := range n {
		db.AppendHistory("u", store.Entry{Msg: Msg(fmt.Sprint("m", i), "x")})
		got, _ := readHistory(t, db, "u", "", 100) // the read comes after the append on the writer's queue
		require.Equal(t, lastIDs("m", i+1, 16), got, "after append %d", i)
		waitSweeps(t, db)
	}
	require.NoError(t, db.Close())

	db, err = store.Open(again(), cfg)
	require.NoError(t, err)
	db.AppendHistory("u", store.Entry{Msg: Msg(fmt.Sprint("m", n), "x")})
	got, _ := readHistory(t, db, "u", "", 100)
	require.Equal(t, lastIDs("m", n+1, 16), got, "after a restart")
	require.NoError(t, db.Close())

	cfg.HistoryPerUser = 4
	db = open(t, again(), cfg)
	db.AppendHistory("u", store.Entry{Msg: Msg(fmt.Sprint("m", n+1), "x")})
	got, _ = readHistory(t, db, "u", "", 100)
	require.Equal(t, lastIDs("m", n+2, 4), got, "a smaller bound after a restart")
}

// testHistoryCountAfterRollback: appends whose transaction ran and was then
// rolled back (the disk refused the commit) leave no trace in the history,
// nor in what the DB believes it holds: later appends trim nothing the bound
// does not require.
func testHistoryCountAfterRollback(t *testing.T, f Factory) {
	inner, _ := f(t)
	eng := &FaultyEngine{Engine: inner}
	db := open(t, eng, store.Config{HistoryPerUser: 4, SweepInterval: time.Hour})
	for i := range 2 {
		db.AppendHistory("u", store.Entry{Msg: Msg(fmt.Sprint("m", i), "x")})
	}
	got, _ := readHistory(t, db, "u", "", 100)
	require.Equal(t, []string{"m0", "m1"}, got)

	eng.FailAfterApply.Store(true)
	db.AppendHistory("u", store.Entry{Msg: Msg("lost1", "x")})
	db.AppendHistory("u", store.Entry{Msg: Msg("lost2", "x")})
	failed := db.Stats().Failed
	db.ReadHistory("u", "", 1, func([]store.Entry, bool, error) {}) // commits at once, failing with the two
	require.Eventually(t, func() bool { return db.Stats().Failed > failed }, 5*time.Second, time.Millisecond)
	eng.FailAfterApply.Store(false)

	db.AppendHistory("u", store.Entry{Msg: Msg("m2", "x")})
	db.AppendHistory("u", store.Entry{Msg: Msg("m3", "x")})
	got, _ = readHistory(t, db, "u", "", 100)
	require.Equal(t, []string{"m0", "m1", "m2", "m3"}, got)
}

// testHistoryCountAfterSweep: entries the sweep deletes (expired, the user
// receiving nothing more) no longer count against the bound: the next
// appends keep HistoryPerUser entries, not fewer.
func testHistoryCountAfterSweep(t *testing.T, f Factory) {
	eng, _ := f(t)
	// a sweep every 400 ms deletes what is older than 300 ms: the appends
	// below run between two sweeps and are read before they expire
	db := open(t, eng, store.Config{HistoryPerUser: 4, HistoryTTL: 300 * time.Millisecond,
		SweepInterval: 400 * time.Millisecond, FlushInterval: time.Millisecond})
	db.AppendHistory("u", store.Entry{Msg: Msg("old0", "x")})
	db.AppendHistory("u", store.Entry{Msg: Msg("old1", "x")})
	require.Eventually(t, func() bool { return db.Stats().HistorySwept == 2 }, 5*time.Second, time.Millisecond)
	for i := range 6 {
		db.AppendHistory("u", store.Entry{Msg: Msg(fmt.Sprint("m", i), "x")})
	}
	got, _ := readHistory(t, db, "u", "", 100)
	require.Equal(t, lastIDs("m", 6, 4), got)
}
