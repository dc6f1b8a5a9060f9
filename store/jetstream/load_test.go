package jetstream_test

import (
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/store"
	wscjs "github.com/go-wsc/go-wsc/store/jetstream"
	"github.com/go-wsc/go-wsc/store/storetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ids(es []store.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Msg.ID
	}
	return out
}

func waitErr(t *testing.T, ch chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("no Done within 5 s")
		return nil
	}
}

func putDurable(t *testing.T, s *wscjs.Store, user, id string) {
	t.Helper()
	ch := make(chan error, 1)
	_, err := s.PutOffline(user, store.Entry{Msg: storetest.Msg(id, "x")}, func(err error) { ch <- err })
	require.NoError(t, err)
	require.NoError(t, waitErr(t, ch))
}

func load(t *testing.T, s *wscjs.Store, user string) {
	t.Helper()
	ch := make(chan error, 1)
	s.LoadOffline(user, func(err error) { ch <- err })
	require.NoError(t, waitErr(t, ch))
}

// TestLoadOfflineAcrossNodes: two nodes on one set of streams. What one
// stores, the other sees once it loads the user (as the hub does when the
// user connects there); what one delivers, the other forgets at its next
// load; a message removed while a load is reading does not come back.
func TestLoadOfflineAcrossNodes(t *testing.T) {
	srv := shared(t)
	p := prefix()
	a := openStore(t, connect(t, srv.ClientURL()), wscjs.Options{Prefix: p, NodeID: "a"})
	b := openStore(t, connect(t, srv.ClientURL()), wscjs.Options{Prefix: p, NodeID: "b"})

	for _, id := range []string{"m1", "m2", "m3"} {
		putDurable(t, a, "u", id)
	}
	assert.Empty(t, b.PeekOffline("u", "", 10), "b has not loaded u")
	load(t, b, "u")
	assert.Equal(t, []string{"m1", "m2", "m3"}, ids(b.PeekOffline("u", "", 10)))
	n, _ := b.OfflineLen("u")
	assert.Equal(t, 3, n)

	// b delivers m1: a still offers it until it loads u again
	rm := make(chan error, 1)
	b.RemoveOffline("u", []string{"m1"}, func(err error) { rm <- err })
	require.NoError(t, waitErr(t, rm))
	assert.Equal(t, []string{"m1", "m2", "m3"}, ids(a.PeekOffline("u", "", 10)))
	putDurable(t, a, "u", "m4") // stored on a meanwhile: kept by the merge
	load(t, a, "u")
	assert.Equal(t, []string{"m2", "m3", "m4"}, ids(a.PeekOffline("u", "", 10)))

	// removed on b while b's load of u is reading: it stays removed, and
	// leaves the stream (m5 is a's, not yet in b's mirror: only the load's
	// merge can delete it)
	putDurable(t, a, "u", "m5")
	done := make(chan error, 1)
	b.LoadOffline("u", func(err error) { done <- err })
	b.RemoveOffline("u", []string{"m2", "m5"}, nil)
	require.NoError(t, waitErr(t, done))
	assert.Equal(t, []string{"m3", "m4"}, ids(b.PeekOffline("u", "", 10)))
	b.RemoveOffline("u", nil, func(err error) { rm <- err }) // after the merge's deletes
	require.NoError(t, waitErr(t, rm))

	// a node that opens later finds what is left, in order
	c := openStore(t, connect(t, srv.ClientURL()), wscjs.Options{Prefix: p, NodeID: "c"})
	assert.Equal(t, []string{"m3", "m4"}, ids(c.PeekOffline("u", "", 10)))
}

// TestPendingPerNode: each node loads its own pending acks; a live node
// takes over a dead node's.
func TestPendingPerNode(t *testing.T) {
	srv := shared(t)
	p := prefix()
	a := openStore(t, connect(t, srv.ClientURL()), wscjs.Options{Prefix: p, NodeID: "a"})
	b := openStore(t, connect(t, srv.ClientURL()), wscjs.Options{Prefix: p, NodeID: "b"})
	ch := make(chan error, 1)
	require.NoError(t, a.PutPending(store.PendingAck{User: "u", Entry: store.Entry{Msg: storetest.Msg("pa", "x")}}, nil))
	require.NoError(t, b.PutPending(store.PendingAck{User: "u", Entry: store.Entry{Msg: storetest.Msg("pb", "x")}},
		func(err error) { ch <- err }))
	require.NoError(t, waitErr(t, ch))
	list := func(load func(func(store.PendingAck) bool) error) []string {
		var got []string
		require.NoError(t, load(func(p store.PendingAck) bool { got = append(got, p.Msg.ID); return true }))
		return got
	}
	assert.Equal(t, []string{"pb"}, list(b.LoadPending), "b never takes a's")
	assert.Equal(t, []string{"pa"}, list(func(fn func(store.PendingAck) bool) error { return b.TakeOverPending("a", fn) }))
	b.RemovePendingOf("a", "u", "pa", func(err error) { ch <- err })
	require.NoError(t, waitErr(t, ch))
	assert.Empty(t, list(a.LoadPending))
}

// TestSequencesAcrossNodes: two nodes loading one stream never hand out a
// number twice (compare-and-set reservations).
func TestSequencesAcrossNodes(t *testing.T) {
	srv := shared(t)
	p := prefix()
	a := openStore(t, connect(t, srv.ClientURL()), wscjs.Options{Prefix: p, Config: store.Config{SeqBlock: 10}})
	b := openStore(t, connect(t, srv.ClientURL()), wscjs.Options{Prefix: p, Config: store.Config{SeqBlock: 10}})
	loadSeq := func(s *wscjs.Store) {
		ch := make(chan error, 1)
		s.LoadSeq("u:x", func(_ store.SeqState, err error) { ch <- err })
		require.NoError(t, waitErr(t, ch))
	}
	loadSeq(a)
	loadSeq(b)
	seen := map[int64]string{}
	next := func(s *wscjs.Store, name string) {
		var n int64
		var err error
		require.Eventually(t, func() bool { n, err = s.NextSeq("u:x"); return err == nil }, 5*time.Second, time.Millisecond)
		require.Empty(t, seen[n], "%d handed out by %s and %s", n, seen[n], name)
		seen[n] = name
	}
	for range 40 { // four blocks each, interleaved
		next(a, "a")
		next(b, "b")
	}
}
