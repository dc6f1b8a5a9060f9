package bolt_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/store"
	"github.com/go-wsc/go-wsc/store/bolt"
	"github.com/go-wsc/go-wsc/store/storetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestShortLivedUsersLeaveTheHeap: 10,000 distinct users, each loaded,
// given one number, one history entry and one offline message that is then
// delivered, and evicted, leave the heap where it was (±10%) once two
// history sweeps have passed (the writer forgets the history counts of users
// with no append for two sweeps): what stays is on disk. (A first round sizes the file and bbolt's free list. 10,000
// keeps the test near 2 s under -race; a leak of one small struct per user
// already doubles the heap.)
func TestShortLivedUsersLeaveTheHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 users")
	}
	db, err := bolt.OpenStore(t.TempDir(), store.Config{SweepInterval: 10 * time.Millisecond}, nil)
	require.NoError(t, err)
	defer db.Close()
	round := func(prefix string) {
		const users = 10_000
		loaded := make(chan error, users)
		for i := range users {
			db.LoadSeq(fmt.Sprint(prefix, i), func(_ store.SeqState, err error) { loaded <- err })
		}
		for range users {
			require.NoError(t, <-loaded)
		}
		done := make(chan error, users)
		for i := range users {
			user := fmt.Sprint(prefix, i)
			n, err := db.NextSeq(user)
			require.NoError(t, err)
			m := storetest.Msg(fmt.Sprint("m", n), "hello")
			db.AppendHistory(user, store.Entry{Msg: m})
			_, err = db.PutOffline(user, store.Entry{Msg: m}, nil)
			require.NoError(t, err)
			db.RemoveOffline(user, []string{m.ID}, nil)
			db.EvictSeq(user)
			if i%1000 == 999 { // a barrier now and then (a history read takes every queued write along): the queue stays small
				db.ReadHistory("x", "", 1, func(_ []store.Entry, _ bool, err error) { done <- err })
			}
		}
		for range users / 1000 {
			require.NoError(t, <-done)
		}
		// every write of the round is applied: from here the writer
		// applies only its sweeps
		ops := db.Stats().Ops
		require.Eventually(t, func() bool { return db.Stats().Ops >= ops+2 }, 5*time.Second, time.Millisecond, "two sweeps")
	}
	heap := func() uint64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	round("warm")
	before := heap()
	round("user")
	// no growth: at most 10% more. Polled: once on a loaded machine the heap
	// still held about 43 bytes a user (1,042 KiB against 611) when the two
	// sweeps above had passed, as if they came before the round's last
	// writes; a leak never goes.
	assert.Eventually(t, func() bool { return float64(heap()) <= 1.10*float64(before) }, 10*time.Second, 20*time.Millisecond,
		"heap %d KiB before", before>>10)
	t.Logf("heap %d KiB before, %d KiB after 10,000 more users", before>>10, heap()>>10)
	n, _ := db.OfflineLen("")
	assert.Zero(t, n)
}
