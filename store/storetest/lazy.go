package storetest

import (
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testLazyWrites: a commit made for a waiting caller carries the offline and
// pending writes queued before it but leaves history and records queued (they
// go with the next due commit, many together); a read of the history takes
// them along, so it sees every append made before it.
func testLazyWrites(t *testing.T, f Factory) {
	eng, _ := f(t)
	db := open(t, eng, store.Config{FlushInterval: time.Hour, SweepInterval: time.Hour})
	db.AppendHistory("u", store.Entry{Msg: Msg("h", "x")})
	db.PutRecord("r", func() ([]byte, error) { return []byte(`{}`), nil })
	db.RemovePending("u", "gone", nil) // written behind, not lazy: goes with the next commit
	done, ch := durable()
	require.NoError(t, db.PutPending(store.PendingAck{User: "u", Entry: store.Entry{Msg: Msg("p", "x")}}, done))
	require.NoError(t, waitDone(t, ch))
	assert.EqualValues(t, 2, db.Stats().Queued, "the history append and the record wait for a due commit")

	got, found := readHistory(t, db, "u", "", 10)
	assert.True(t, found)
	assert.Equal(t, []string{"h"}, got, "a read of the history comes after the appends queued before it")
	assert.Zero(t, db.Stats().Queued)
	var recs []string
	require.NoError(t, db.LoadRecords(func(id string, _ []byte) bool { recs = append(recs, id); return true }))
	assert.Equal(t, []string{"r"}, recs)
}
