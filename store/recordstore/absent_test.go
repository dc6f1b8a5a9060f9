package recordstore

import (
	"testing"

	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Put skips its lookup after a Get that did not find the record (the
// recorder's create), and only then: a record Put again, after a miss of
// its own id or of another's, keeps its entry and slot (a new one would
// leave the old version live on disk beside the new).
func TestPutAfterAMissedGetKeepsOneEntry(t *testing.T) {
	db, err := store.OpenMemory(store.Config{})
	require.NoError(t, err)
	defer db.Close()
	s, _, err := New(db)
	require.NoError(t, err)

	_, ok := s.Get("a")
	require.False(t, ok)
	s.Put(&recorder.Record{ID: "a", Status: recorder.StatusPending})
	first := slotOf(s.recs["a"])
	require.NotNil(t, first)
	s.Put(&recorder.Record{ID: "a", Status: recorder.StatusSending})
	assert.Same(t, first, slotOf(s.recs["a"]), "Put again after the Put that followed the miss")

	_, ok = s.Get("b") // a miss of another id, then a as the recorder's Status does it
	require.False(t, ok)
	got, ok := s.Get("a")
	require.True(t, ok)
	s.Put(got)
	assert.Same(t, first, slotOf(s.recs["a"]))
	s.Put(&recorder.Record{ID: "b"})
	s.Put(&recorder.Record{ID: "a", Status: recorder.StatusSuccess})
	assert.Same(t, first, slotOf(s.recs["a"]), "after a miss of b and b's Put")
	assert.Equal(t, 2, s.Len())
}
