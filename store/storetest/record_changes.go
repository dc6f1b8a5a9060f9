package storetest

import (
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/store"
	"github.com/stretchr/testify/assert"
)

// testRecordChanges: PutRecordChanges is PutRecordIn and DeleteRecordIn in
// order, one call for many (store/recordstore hands over a recorder
// message's changes so): the last change of each record is written, the
// bytes are copied (the caller reuses its buffer at once), a change with a
// bad id is counted and skipped; past MaxQueueBytes the puts are refused
// and counted, and the deletions still go.
func testRecordChanges(t *testing.T, f Factory) {
	eng, _ := f(t)
	db := open(t, eng, store.Config{MaxQueueBytes: 4 << 10, FlushInterval: time.Hour})
	a, b, c := &store.RecordSlot{}, &store.RecordSlot{}, &store.RecordSlot{}
	buf := []byte("a1b1a2c1")
	db.PutRecordChanges([]store.RecordChange{
		{Slot: a, ID: "a", Data: buf[0:2]},
		{Slot: b, ID: "b", Data: buf[2:4]},
		{Slot: a, ID: "a", Data: buf[4:6]},
		{Slot: b, ID: "b"},
		{Slot: c, ID: "c", Data: buf[6:8]},
		{Slot: &store.RecordSlot{}, ID: "", Data: buf[0:2]},
	})
	copy(buf, "xxxxxxxx") // the caller's again
	assert.Equal(t, map[string]string{"a": "a2", "c": "c1"}, loadRecords(t, db))
	assert.Equal(t, int64(1), db.Stats().RecordErrors, "the change without an id")

	big := make([]store.RecordChange, 0, 21)
	for range 20 { // 20 records of 512 bytes each against 4 KiB: all refused
		big = append(big, store.RecordChange{Slot: &store.RecordSlot{}, ID: "n", Data: []byte("n")})
	}
	big = append(big, store.RecordChange{Slot: a, ID: "a"})
	db.PutRecordChanges(big)
	assert.Equal(t, int64(1+20), db.Stats().RecordErrors, "each put refused is counted")
	assert.Equal(t, map[string]string{"c": "c1"}, loadRecords(t, db), "the deletion went")
	assert.Zero(t, db.Stats().QueuedBytes)
}
