package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// slotted is a caller of the slot methods, as store/recordstore is: each
// record's slot kept beside it, a new one for a record made again.
type slotted struct {
	db    *store.DB
	slots map[string]*store.RecordSlot
}

func loadSlots(t *testing.T, db *store.DB) (*slotted, map[string]string) {
	t.Helper()
	s := &slotted{db: db, slots: map[string]*store.RecordSlot{}}
	recs := map[string]string{}
	require.NoError(t, db.LoadRecordSlots(func(id string, data []byte, slot *store.RecordSlot) bool {
		recs[id], s.slots[id] = string(data), slot
		return true
	}))
	return s, recs
}

func (s *slotted) put(id, data string) {
	slot := s.slots[id]
	if slot == nil {
		slot = &store.RecordSlot{}
		s.slots[id] = slot
	}
	s.db.PutRecordIn(slot, id, []byte(data), nil)
}

func (s *slotted) del(id string) {
	s.db.DeleteRecordIn(s.slots[id], id)
	delete(s.slots, id)
}

// testRecordSlots: records written through their slots (store/recordstore's
// way) across restarts, made and evicted oldest first past the compaction
// bound, some changed in later commits, one kept from the start (changed
// once, half-way), one
// deleted and made again under a new slot in one commit and in two: the log
// stays bounded, and each restart loads exactly the live records as last
// written (a compaction that took a superseded version for a live one
// would put it back after the new).
func testRecordSlots(t *testing.T, f Factory) {
	eng, again := f(t)
	db, err := store.Open(eng, store.Config{FlushInterval: time.Hour, SweepInterval: time.Hour})
	require.NoError(t, err)
	s, recs := loadSlots(t, db)
	require.Empty(t, recs)
	body := strings.Repeat("x", 4000)
	val := func(id string, v int) string { return fmt.Sprint(id, "/", v, "/", body) }
	s.put("first", val("first", 0))
	s.put("again", val("again", 0))
	const n, bound = 3000, 100
	maxLog := 0
	for i := range n {
		id := fmt.Sprint("r", i)
		s.put(id, val(id, 0))
		if i >= bound {
			s.del(fmt.Sprint("r", i-bound))
		}
		if i%10 == 9 {
			if i >= 10 {
				id := fmt.Sprint("r", i-10)
				s.put(id, val(id, 1))
			}
			switch i {
			case 1499: // a second version of the oldest record: the first must not come back
				s.put("first", val("first", 1))
			case 999: // deleted and made again in one commit
				s.del("again")
				s.put("again", val("again", 1))
			case 1999: // deleted in one commit, made again in the next
				s.del("again")
			case 2009:
				s.put("again", val("again", 2))
			}
			_, _ = readHistory(t, db, "x", "", 1)
			_, total := recordBytes(t, eng)
			maxLog = max(maxLog, total)
		}
	}
	require.NoError(t, db.Close())
	live := (bound + 2) * (len(body) + 20)
	assert.Less(t, maxLog, 2*live+(4<<20)+20*len(body), "the log stays within twice its live bytes, plus the slack and a commit")

	want := map[string]string{"first": "first/1/", "again": "again/2/"}
	for i := n - bound; i < n; i++ {
		v := 0
		if i%10 == 9 && i+10 < n {
			v = 1
		}
		want[fmt.Sprint("r", i)] = fmt.Sprint("r", i, "/", v, "/")
	}
	trim := func(recs map[string]string) map[string]string {
		for id, data := range recs {
			recs[id] = strings.TrimSuffix(data, body)
		}
		return recs
	}
	eng = again()
	db = open(t, eng, store.Config{FlushInterval: time.Hour, SweepInterval: time.Hour})
	s, recs = loadSlots(t, db)
	assert.Equal(t, want, trim(recs))

	// the slots handed out go on: records evicted through them, the log compacted again
	for i := n - bound; i < n; i++ {
		s.del(fmt.Sprint("r", i))
		id := fmt.Sprint("s", i)
		s.put(id, val(id, 0))
		want[id] = fmt.Sprint(id, "/0/")
		delete(want, fmt.Sprint("r", i))
		if i%10 == 9 {
			_, _ = readHistory(t, db, "x", "", 1)
		}
	}
	require.NoError(t, db.Close())
	db = open(t, again(), store.Config{})
	_, recs = loadSlots(t, db)
	assert.Equal(t, want, trim(recs))
}

// testRecordSlotsAfterRollback: a commit the disk refused leaves the slots
// as they were before it: a record it changed is still where it was, so
// that compaction, long after, still keeps it (a slot left pointing into
// the refused segment, whose key a later segment takes, lost it), and a
// restart sees exactly what was committed.
func testRecordSlotsAfterRollback(t *testing.T, f Factory) {
	inner, again := f(t)
	eng := &FaultyEngine{Engine: inner}
	db, err := store.Open(eng, store.Config{FlushInterval: time.Hour, SweepInterval: time.Hour})
	require.NoError(t, err)
	s, _ := loadSlots(t, db)
	s.put("a", "a0")
	s.put("b", "b0")
	_, _ = readHistory(t, db, "x", "", 1)

	eng.FailAfterApply.Store(true)
	s.put("a", "lost")
	bSlot := s.slots["b"]
	s.del("b")
	s.put("c", "lost")
	failed := db.Stats().Failed
	db.ReadHistory("x", "", 1, func([]store.Entry, bool, error) {})
	require.Eventually(t, func() bool { return db.Stats().Failed > failed }, 5*time.Second, time.Millisecond)
	eng.FailAfterApply.Store(false)
	s.slots["b"] = bSlot // the caller knows the deletion failed
	delete(s.slots, "c")

	// enough records made and evicted that the log compacts past a and b's segment
	body := strings.Repeat("x", 4000)
	const n, bound = 1500, 100
	for i := range n {
		s.put(fmt.Sprint("r", i), body)
		if i >= bound {
			s.del(fmt.Sprint("r", i-bound))
		}
		if i%10 == 9 {
			_, _ = readHistory(t, db, "x", "", 1)
		}
	}
	require.NoError(t, db.Close())
	db = open(t, again(), store.Config{})
	_, recs := loadSlots(t, db)
	assert.Equal(t, "a0", recs["a"])
	assert.Equal(t, "b0", recs["b"])
	assert.NotContains(t, recs, "c")
	assert.Len(t, recs, 2+bound)
}
