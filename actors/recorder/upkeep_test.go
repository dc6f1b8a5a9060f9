package recorder

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMaxRecordsKeepsTheNewest(t *testing.T) {
	r := newRecorder(t, Config{MaxRecords: 5})
	deleted := make(chan string, 64)
	r.OnRecordDeleted(func(id string) { deleted <- id })

	all := created(r, 50)

	recs, err := r.Query(ctx(t), Query{})
	require.NoError(t, err)
	assert.Equal(t, all[45:], ids(recs))
	st, err := r.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, 5, st.Total)
	assert.Equal(t, uint64(45), st.Evicted)
	assert.Equal(t, uint64(50), st.Created)
	for _, id := range all[:45] {
		assert.Equal(t, id, recv(t, deleted))
	}
}

func TestMaxRecordsEvictsFinishedFirst(t *testing.T) {
	r := newRecorder(t, Config{MaxRecords: 5})
	deleted := make(chan string, 8)
	r.OnRecordDeleted(func(id string) { deleted <- id })

	created(r, 5) // m-0 … m-4, all pending
	r.Status("m-1", StatusSending, "", "")
	r.Status("m-3", StatusSuccess, "", "")
	r.Status("m-2", StatusFailed, ReasonConnError, "")

	r.Created(message("m-5"), "u1", "")
	assert.Equal(t, "m-2", recv(t, deleted), "the oldest finished record goes first")
	r.Created(message("m-6"), "u1", "")
	assert.Equal(t, "m-3", recv(t, deleted))
	r.Created(message("m-7"), "u1", "")
	assert.Equal(t, "m-0", recv(t, deleted), "with none finished, the oldest record goes")

	// A record that finishes late is still evicted by age among the finished.
	r.Status("m-6", StatusSuccess, "", "")
	r.Status("m-4", StatusUserOffline, ReasonUserOffline, "")
	r.Created(message("m-8"), "u1", "")
	assert.Equal(t, "m-4", recv(t, deleted))

	recs, err := r.Query(ctx(t), Query{})
	require.NoError(t, err)
	assert.Equal(t, []string{"m-1", "m-5", "m-6", "m-7", "m-8"}, ids(recs))
}

func TestRetentionExpiresThenDeletes(t *testing.T) {
	r := newRecorder(t, Config{Retention: 30 * time.Millisecond, CleanupInterval: 5 * time.Millisecond})
	events := make(chan string, 8)
	r.OnRecordExpired(func(rec Record) { events <- "expired " + rec.ID + " " + string(rec.Status) })
	r.OnRecordDeleted(func(id string) { events <- "deleted " + id })

	r.Created(message("m-1"), "u1", "")
	r.Status("m-1", StatusSuccess, "", "")
	r.Created(message("m-2"), "u1", "")

	assert.Equal(t, "expired m-1 success", recv(t, events))
	assert.Equal(t, "deleted m-1", recv(t, events))
	assert.Equal(t, "expired m-2 pending", recv(t, events))
	assert.Equal(t, "deleted m-2", recv(t, events))

	_, err := r.GetRecord(ctx(t), "m-1")
	require.ErrorIs(t, err, ErrRecordNotFound)
	st, err := r.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, 0, st.Total)
	assert.Equal(t, uint64(2), st.Expired)
	assert.Zero(t, st.ByStatus[StatusSuccess])
}

func TestPrefilledStoreIsIndexed(t *testing.T) {
	store := NewMemoryStore()
	base := time.Now()
	for i := range 4 {
		st := StatusPending
		if i == 2 {
			st = StatusSuccess
		}
		store.Put(&Record{ID: fmt.Sprintf("old-%d", i), Status: st, CreatedAt: base.Add(time.Duration(i) * time.Millisecond)})
	}
	r := newRecorder(t, Config{MaxRecords: 4, Store: store})

	r.Created(message("m-1"), "u1", "")
	recs, err := r.Query(ctx(t), Query{})
	require.NoError(t, err)
	assert.Equal(t, []string{"old-0", "old-1", "old-3", "m-1"}, ids(recs))
	st, err := r.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, 4, st.ByStatus[StatusPending])
	assert.Zero(t, st.ByStatus[StatusSuccess])
}

func TestDeleteRecord(t *testing.T) {
	r := newRecorder(t, Config{})
	deleted := make(chan string, 1)
	r.OnRecordDeleted(func(id string) { deleted <- id })
	created(r, 2)

	require.NoError(t, r.DeleteRecord(ctx(t), "m-0"))
	assert.Equal(t, "m-0", recv(t, deleted))
	require.ErrorIs(t, r.DeleteRecord(ctx(t), "m-0"), ErrRecordNotFound)
	st, err := r.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, 1, st.Total)
	assert.Equal(t, uint64(1), st.Deleted)
}

// MaxRecordBytes bounds the records by size: 20 messages of 100 KiB under a
// 1 MiB bound leave the newest that fit, whatever MaxRecords allows.
func TestMaxRecordBytesBoundsBigMessages(t *testing.T) {
	r := newRecorder(t, Config{MaxRecords: 1000, MaxRecordBytes: 1 << 20})
	var all []string
	for i := range 20 {
		m := message(fmt.Sprintf("big-%d", i))
		m.Content = strings.Repeat("x", 100<<10)
		r.Created(m, "u1", "")
		all = append(all, m.ID)
	}
	recs, err := r.Query(ctx(t), Query{})
	require.NoError(t, err)
	assert.Equal(t, all[len(all)-len(recs):], ids(recs), "the newest")
	assert.LessOrEqual(t, len(recs), 10, "1 MiB holds at most ten of 100 KiB")
	assert.GreaterOrEqual(t, len(recs), 9)
	st, err := r.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, uint64(20-len(recs)), st.Evicted)
}

// Records a durable store held at start count against MaxRecordBytes like
// new ones: a new record evicts the oldest loaded ones until all fit.
func TestLoadedRecordsCountAgainstMaxRecordBytes(t *testing.T) {
	store := NewMemoryStore()
	base := time.Now()
	for i := range 4 {
		m := message(fmt.Sprintf("old-%d", i))
		m.Content = strings.Repeat("x", 100<<10)
		store.Put(&Record{ID: m.ID, Message: m, Status: StatusSuccess, CreatedAt: base.Add(time.Duration(i) * time.Millisecond)})
	}
	r := newRecorder(t, Config{MaxRecords: 1000, MaxRecordBytes: 300 << 10, Store: store})
	r.Created(message("m-1"), "u1", "")
	recs, err := r.Query(ctx(t), Query{})
	require.NoError(t, err)
	assert.Equal(t, []string{"old-2", "old-3", "m-1"}, ids(recs))
}
