package hub_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
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

// sharedPending is a store.DB that also lists the pending acks a dead node
// left in a shared store (as store/jetstream does): its first listings fail
// (a leader election of the shared store), the next ones list what is left;
// it may also fail the offline writes of some ids once. The listings run on
// a goroutine of the hub's, the rest on its mailbox: left is locked.
type sharedPending struct {
	*store.DB
	fails    chan struct{}   // one token per listing that fails
	failWith error           // how they fail
	failPuts map[string]bool // ids whose first offline write fails (mailbox only)
	listed   chan int        // each listing's outcome: how many it listed, -1 failed
	removed  chan string     // RemovePendingOf's ids

	mu   sync.Mutex
	left []store.PendingAck
}

func (s *sharedPending) TakeOverPending(node string, fn func(store.PendingAck) bool) error {
	select {
	case <-s.fails:
		s.listed <- -1
		return s.failWith
	default:
	}
	if node != "n2" {
		return nil
	}
	s.mu.Lock()
	left := slices.Clone(s.left)
	s.mu.Unlock()
	for _, p := range left {
		fn(p)
	}
	s.listed <- len(left)
	return nil
}

func (s *sharedPending) PutOffline(user string, e store.Entry, done store.Done) ([]store.Dropped, error) {
	if s.failPuts[e.Msg.ID] && done != nil {
		delete(s.failPuts, e.Msg.ID)
		dropped, err := s.DB.PutOffline(user, e, nil)
		if err == nil {
			go done(errors.New("no stream leader"))
		}
		return dropped, err
	}
	return s.DB.PutOffline(user, e, done)
}

func (s *sharedPending) RemovePendingOf(node, user, id string, done store.Done) {
	s.mu.Lock()
	s.left = slices.DeleteFunc(s.left, func(p store.PendingAck) bool { return p.Msg.ID == id })
	s.mu.Unlock()
	s.removed <- id
	if done != nil {
		done(nil)
	}
}

// deadN2 starts n1 on st and n2, then kills n2 without a goodbye.
func deadN2(t *testing.T, st *sharedPending) *hub.Hub {
	t.Helper()
	net := newMemNet()
	t.Cleanup(net.close) // after both hubs' cleanups
	start := func(name string, s store.Store) *hub.Hub {
		sys := actors.NewSystem()
		h, err := hub.New(sys, hub.Config{NodeID: name, Bus: net.bus(), ClusterHeartbeat: beat, Store: s})
		require.NoError(t, err)
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			require.NoError(t, h.Shutdown(ctx))
			sys.Shutdown()
		})
		return h
	}
	n1 := start("n1", st)
	n2 := start("n2", nil)
	connect(n2, session.Identity{UserID: "cy"}, newMem(8))
	sees(t, n1, "cy", true) // n1 hears n2
	net.lose("n2", func(*hub.BusMessage) bool { return true })
	return n1
}

func newSharedPending(t *testing.T, listingFails int, failPuts ...string) *sharedPending {
	db, err := store.OpenMemory(store.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() }) // after the hubs' shutdown (cleanups run last first)
	st := &sharedPending{DB: db, fails: make(chan struct{}, listingFails), failWith: errors.New("no stream leader"), failPuts: map[string]bool{},
		listed: make(chan int, 16), removed: make(chan string, 16), left: []store.PendingAck{
			{User: "u", Entry: store.Entry{Msg: &protocol.Message{ID: "p1", Content: "1"}}},
			{User: "u", Entry: store.Entry{Msg: &protocol.Message{ID: "p2", Content: "2"}}},
		}}
	for range listingFails {
		st.fails <- struct{}{}
	}
	for _, id := range failPuts {
		st.failPuts[id] = true
	}
	return st
}

// listings waits for n listings' outcomes.
func (s *sharedPending) listings(t *testing.T, n int) []int {
	t.Helper()
	var out []int
	for len(out) < n {
		select {
		case got := <-s.listed:
			out = append(out, got)
		case <-time.After(30 * time.Second):
			t.Fatalf("listings of n2's pending acks: %v, and no more", out)
		}
	}
	return out
}

// removals waits for n RemovePendingOf calls.
func (s *sharedPending) removals(t *testing.T, n int) []string {
	t.Helper()
	var out []string
	for len(out) < n {
		select {
		case id := <-s.removed:
			out = append(out, id)
		case <-time.After(10 * time.Second):
			t.Fatalf("removed from n2's pending: %v, and no more", out)
		}
	}
	slices.Sort(out)
	return out
}

func offlineIDs(t *testing.T, h *hub.Hub, user string) []string {
	t.Helper()
	kept, err := h.OfflineMessages(context.Background(), user)
	require.NoError(t, err)
	var ids []string
	for _, m := range kept {
		ids = append(ids, m.ID)
	}
	slices.Sort(ids)
	return ids
}

// n2 dies without a goodbye while the shared store cannot list its pending
// acks (twice): n1 asks again, later, and moves them to the offline path.
// Before, the failed listing was counted as a store error and the acks
// stayed with the dead node for good.
func TestATakeOverThatFailedIsAskedAgain(t *testing.T) {
	st := newSharedPending(t, 2)
	n1 := deadN2(t, st)
	assert.Equal(t, []int{-1, -1, 2}, st.listings(t, 3), "failed twice, then listed both")
	assert.Equal(t, []string{"p1", "p2"}, st.removals(t, 2), "each removed once durable here")
	assert.Equal(t, []string{"p1", "p2"}, offlineIDs(t, n1, "u"), "in n1's offline store")
	s, err := n1.Stats(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(2), s.StoreErrors, "each failed listing counted")
}

// The listing works but one offline write of it fails: that ack stays with
// n2 (not removed), and n1 asks again for what is left of n2's.
func TestATakeOverWriteThatFailedIsAskedAgain(t *testing.T) {
	st := newSharedPending(t, 0, "p1")
	n1 := deadN2(t, st)
	assert.Equal(t, []int{2}, st.listings(t, 1), "listed both")
	assert.Equal(t, []string{"p2"}, st.removals(t, 1), "the one written here removed")
	assert.Equal(t, []int{1}, st.listings(t, 1), "asked again for the one left")
	assert.Equal(t, []string{"p1"}, st.removals(t, 1), "written here the second time")
	assert.Equal(t, []string{"p1", "p2"}, offlineIDs(t, n1, "u"), "in n1's offline store")
}

// A listing that finds corrupt data is not asked again: another try cannot
// mend it (the error is counted, the acks stay with n2 for an operator).
func TestATakeOverOfCorruptDataIsNotAskedAgain(t *testing.T) {
	st := newSharedPending(t, 2)
	st.failWith = fmt.Errorf("%w: pending entry", store.ErrCorrupt)
	deadN2(t, st)
	assert.Equal(t, []int{-1}, st.listings(t, 1))
	select { // a retry would come 100 ms later
	case n := <-st.listed:
		t.Fatalf("asked again (listed %d)", n)
	case <-time.After(time.Second):
	}
}
