package recordstore_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/store"
	"github.com/go-wsc/go-wsc/store/bolt"
	"github.com/go-wsc/go-wsc/store/recordstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The window TestARecordMadeAgainReplacesOneThatDidNotDecode cannot stop
// in: a record that did not decode, made again under its id, and a restart
// right after the first compaction that reaches the old version's segment
// but not the new one's. Had the old version kept a live slot of its own,
// that compaction would have written it again at the head, after the new
// one, and the restart would read it (and skip it, undecodable): the new
// version lost. The new version takes the old one's slot, so the old one is
// dead and its segment goes without being written again.
func TestARecordMadeAgainIsReadAfterTheFirstCompactionPastTheOldOne(t *testing.T) {
	dir := t.TempDir()
	db, err := bolt.OpenStore(dir, store.Config{}, nil)
	require.NoError(t, err)
	db.PutRecord("m1", func() ([]byte, error) { return []byte{0xff, 0}, nil }) // no encoding's: the oldest segment
	require.NoError(t, db.Close())

	db, err = bolt.OpenStore(dir, store.Config{}, nil)
	require.NoError(t, err)
	rs, skipped, err := recordstore.New(db)
	require.NoError(t, err)
	require.Equal(t, 1, skipped)
	done := make(chan error, 1)
	commit := func() { // a read waits for the writer's commit
		db.ReadHistory("x", "", 1, func(_ []store.Entry, _ bool, err error) { done <- err })
		require.NoError(t, <-done)
	}
	// Five segments of live records between the old version and the new:
	// one commit compacts at most four live segments, so the first
	// compaction stops before the new version's.
	for i := range 5 {
		rs.Put(&recorder.Record{ID: fmt.Sprint("live-", i), Status: recorder.StatusSuccess})
		commit()
	}
	rs.Put(&recorder.Record{ID: "m1", Status: recorder.StatusSuccess})
	commit()
	// A commit of big records, then one that deletes them all: the log
	// passes twice its live bytes plus its slack at once, and that second
	// commit compacts.
	big := strings.Repeat("e", 4000)
	for i := range 1200 {
		rs.Put(&recorder.Record{ID: fmt.Sprint("gone-", i), Status: recorder.StatusFailed, Error: big})
	}
	commit()
	for i := range 1200 {
		rs.Delete(fmt.Sprint("gone-", i))
	}
	commit()
	require.NoError(t, db.Close())

	db, err = bolt.OpenStore(dir, store.Config{}, nil)
	require.NoError(t, err)
	defer db.Close()
	back, skipped, err := recordstore.New(db)
	require.NoError(t, err)
	assert.Zero(t, skipped, "the old version was written again")
	got, ok := back.Get("m1")
	require.True(t, ok, "the new version was lost")
	assert.Equal(t, recorder.StatusSuccess, got.Status)
	assert.Equal(t, 6, back.Len())
}
