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

func loadRecords(t *testing.T, db *store.DB) map[string]string {
	t.Helper()
	recs := map[string]string{}
	require.NoError(t, db.LoadRecords(func(id string, data []byte) bool { recs[id] = string(data); return true }))
	return recs
}

// recordBytes is what the records bucket holds: its keys' groups and bytes.
func recordBytes(t *testing.T, eng store.Engine) (groups map[string]int, total int) {
	t.Helper()
	groups = map[string]int{}
	require.NoError(t, eng.Update(func(tx store.Tx) error {
		return tx.ScanAll(store.BucketRecords, nil, func(group, _, val []byte) (bool, error) {
			groups[string(group)]++
			total += len(val)
			return true, nil
		})
	}))
	return groups, total
}

// testRecordsOldLayout: records written one key per record (group "", key
// the id) are moved into the log at Open and the old keys deleted.
func testRecordsOldLayout(t *testing.T, f Factory) {
	eng, again := f(t)
	require.NoError(t, eng.Update(func(tx store.Tx) error {
		for _, id := range []string{"r1", "r2"} {
			if err := tx.Put(store.BucketRecords, []byte{}, []byte(id), []byte(`{"id":"`+id+`"}`)); err != nil {
				return err
			}
		}
		return nil
	}))
	db, err := store.Open(eng, store.Config{})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"r1": `{"id":"r1"}`, "r2": `{"id":"r2"}`}, loadRecords(t, db))
	db.DeleteRecord("r1")
	require.NoError(t, db.Close())

	eng = again()
	groups, _ := recordBytes(t, eng)
	assert.NotContains(t, groups, "", "the old keys are gone")
	db = open(t, eng, store.Config{})
	assert.Equal(t, map[string]string{"r2": `{"id":"r2"}`}, loadRecords(t, db))
}

// testRecordsCompaction: records made and evicted oldest first (the
// recorder's bound), some changed in later commits, one kept from the start:
// the log stays near twice its live bytes (old segments go, the one still
// holding the first record is written again at the head), and a restart
// loads exactly the live records as last written.
func testRecordsCompaction(t *testing.T, f Factory) {
	eng, again := f(t)
	db, err := store.Open(eng, store.Config{FlushInterval: time.Hour, SweepInterval: time.Hour})
	require.NoError(t, err)
	body := strings.Repeat("x", 4000)
	rec := func(id string, v int) func() ([]byte, error) { return bytesOf(fmt.Sprint(id, "/", v, "/", body)) }
	db.PutRecord("first", rec("first", 0))
	const n, bound = 3000, 100
	maxLog := 0
	for i := range n {
		id := fmt.Sprint("r", i)
		db.PutRecord(id, rec(id, 0))
		if i >= bound {
			db.DeleteRecord(fmt.Sprint("r", i-bound))
		}
		if i%10 == 9 { // a commit every ten records; each from the second changes a record of the last commit
			if i >= 10 {
				db.PutRecord(fmt.Sprint("r", i-10), rec(fmt.Sprint("r", i-10), 1))
			}
			_, _ = readHistory(t, db, "x", "", 1)
			_, total := recordBytes(t, eng)
			maxLog = max(maxLog, total)
		}
	}
	require.NoError(t, db.Close())
	live := (bound + 1) * (len(body) + 20)
	assert.Less(t, maxLog, 2*live+(4<<20)+20*len(body), "the log stays within twice its live bytes, plus the slack and a commit")

	want := map[string]string{"first": "first/0/"} // without the body, for a readable failure
	for i := n - bound; i < n; i++ {
		v := 0
		if i%10 == 9 && i+10 < n { // changed ten records later
			v = 1
		}
		want[fmt.Sprint("r", i)] = fmt.Sprint("r", i, "/", v, "/")
	}
	db = open(t, again(), store.Config{})
	got := map[string]string{}
	for id, data := range loadRecords(t, db) {
		got[id] = strings.TrimSuffix(data, body)
	}
	assert.Equal(t, want, got)
}

// testRecordsAfterRollback: records of a commit the disk refused are gone,
// and the writer's idea of the log is read again: later writes and a
// restart see exactly what was committed.
func testRecordsAfterRollback(t *testing.T, f Factory) {
	inner, again := f(t)
	eng := &FaultyEngine{Engine: inner}
	db, err := store.Open(eng, store.Config{FlushInterval: time.Hour, SweepInterval: time.Hour})
	require.NoError(t, err)
	db.PutRecord("a", bytesOf("a0"))
	db.PutRecord("b", bytesOf("b0"))
	_, _ = readHistory(t, db, "x", "", 1)

	eng.FailAfterApply.Store(true)
	db.PutRecord("a", bytesOf("lost"))
	db.DeleteRecord("b")
	db.PutRecord("c", bytesOf("lost"))
	failed := db.Stats().Failed
	db.ReadHistory("x", "", 1, func([]store.Entry, bool, error) {})
	require.Eventually(t, func() bool { return db.Stats().Failed > failed }, 5*time.Second, time.Millisecond)
	eng.FailAfterApply.Store(false)

	db.PutRecord("d", bytesOf("d0"))
	assert.Equal(t, map[string]string{"a": "a0", "b": "b0", "d": "d0"}, loadRecords(t, db))
	require.NoError(t, db.Close())
	db = open(t, again(), store.Config{})
	assert.Equal(t, map[string]string{"a": "a0", "b": "b0", "d": "d0"}, loadRecords(t, db))
}
