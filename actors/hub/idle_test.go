package hub_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	"github.com/go-wsc/go-wsc/store/bolt"
	"github.com/stretchr/testify/require"
)

// 20,000 distinct short-lived users (5,000 under -race), each connecting, receiving one message
// and leaving, leave the heap where it was (±10%) once they are idle: the hub
// forgets their ring and sequence; the store (on disk) keeps them. The
// heap is measured after a first 20,000 users, so that maps that never shrink
// (protoactor's process registry, the hub's) have reached their size.
func TestIdleUsersLeaveMemory(t *testing.T) {
	// records are bounded on their own (MaxRecords): off here, to see the rest
	db, err := bolt.OpenStore(t.TempDir(), store.Config{}, nil)
	require.NoError(t, err)
	h := newHub(t, hub.Config{UserIdle: 100 * time.Millisecond, DisableMessageRecord: true, Store: db})
	t.Cleanup(func() { _ = db.Close() }) // after the hub's Shutdown (cleanups run last first)
	visit := func(from, to int) {
		var wg sync.WaitGroup
		for i := from; i < to; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				user := fmt.Sprint("visitor-", i)
				// stored first, then delivered to the connection: one message each
				if err := h.SendToUser(context.Background(), user, &protocol.Message{Content: "hi"}); !errors.Is(err, hub.ErrUserOffline) {
					t.Errorf("%s: %v", user, err)
					return
				}
				tr := newMem(4)
				connect(h, session.Identity{UserID: user}, tr)
				select {
				case f := <-tr.out.C():
					tr.out.Written(f)
				case <-time.After(20 * time.Second):
					t.Errorf("%s: no message", user)
				}
				tr.root.Send(tr.pid, &session.TransportDone{})
			}()
		}
		wg.Wait()
	}
	heap := func() uint64 {
		runtime.GC() // twice: what sync.Pools held survives one collection (their victim cache)
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	idle := func() {
		require.Eventually(t, func() bool { s, _ := h.Stats(context.Background()); return s.Connections == 0 }, 10*time.Second, 5*time.Millisecond)
	}
	users, slack := 20_000, 1.10
	if raceOn { // make test runs with -race: 5,000, about 12 s; the full size: go test -run Idle ./actors/hub
		users, slack = 5_000, 1.20 // a smaller heap: the noise weighs more
	}
	// Warm up until the heap holds still between rounds of users: protoactor's
	// process registry (a map of every live PID) grows its tables in steps
	// under the churn of distinct session PIDs, a round or three before it
	// settles (16.2, 17.4, 19.3, 19.4, 19.9 MB after rounds of 20,000 users,
	// session 7); what is measured after that is what users leave behind.
	next, before := 0, uint64(0)
	for round := 0; round < 5; round++ {
		for end := next + users; next < end; next += 2000 {
			visit(next, min(next+2000, end))
		}
		idle()
		require.Eventually(t, func() bool { s, _ := h.Stats(context.Background()); return s.Remembered == 0 }, 10*time.Second, 10*time.Millisecond)
		h0 := heap()
		if round > 0 && float64(h0) < 1.03*float64(before) {
			before = h0
			break
		}
		before = h0
	}
	for end := next + users; next < end; next += 2000 {
		visit(next, min(next+2000, end))
	}
	idle()
	peak := heap()
	var after uint64
	require.Eventually(t, func() bool { s, _ := h.Stats(context.Background()); return s.Remembered == 0 }, 10*time.Second, 10*time.Millisecond,
		"idle users leave the hub's memory")
	deadline := time.Now().Add(30 * time.Second)
	for after = heap(); float64(after) > slack*float64(before) && time.Now().Before(deadline); after = heap() {
		time.Sleep(200 * time.Millisecond) // polling the heap: the sweeps have no event to wait on
	}
	require.LessOrEqual(t, float64(after), slack*float64(before), "heap %d KiB before, %d KiB with %d users gone", before>>10, after>>10, users)
	t.Logf("heap %d KiB before, %d KiB right after %d users, %d KiB once they were idle", before>>10, peak>>10, users, after>>10)
}
