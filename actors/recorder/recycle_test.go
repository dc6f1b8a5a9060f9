package recorder

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A record handed out (GetRecord, Query, FilterRecords, ExecuteHandler, the
// created and status hooks) never changes after the recorder evicted it and
// reused its storage for other records.
func TestRecordsHandedOutNeverChangeAfterReuse(t *testing.T) {
	r := newRecorder(t, Config{MaxRecords: 2})
	hooked := make(chan Record, 64)
	r.OnRecordCreated(func(rec Record) {
		if rec.ID == "m-0" {
			hooked <- rec
		}
	})
	r.OnStatusUpdated(func(rec Record, _, _ Status) {
		if rec.ID == "m-0" {
			hooked <- rec
		}
	})
	handled := make(chan Record, 1)
	r.SetHandler("keep", func(rec Record) error { handled <- rec; return nil })
	r.AddFilter("all", func(Record) bool { return true })

	b := r.NewBatch()
	b.Accepted(message("m-0"), "u1", "", StatusSending, "")
	b.Status("m-0", StatusRetrying, ReasonAckTimeout, "late")
	b.Flush()
	got, err := r.GetRecord(ctx(t), "m-0")
	require.NoError(t, err)
	listed, err := r.Query(ctx(t), Query{})
	require.NoError(t, err)
	filtered, err := r.FilterRecords(ctx(t), "all")
	require.NoError(t, err)
	require.NoError(t, r.ExecuteHandler(ctx(t), "keep", "m-0"))
	held := []Record{got, listed[0], filtered[0], recv(t, handled), recv(t, hooked), recv(t, hooked), recv(t, hooked)}

	// twenty records, each with three history entries of its own, through
	// the two places: m-0's storage is reused many times over
	for i := 1; i <= 20; i++ {
		id := fmt.Sprint("n-", i)
		b.Accepted(message(id), "u2", "t2", StatusSending, "")
		b.Status(id, StatusRetrying, ReasonConnError, "gone") // not finished, as m-0: the oldest goes
		b.Flush()
	}
	recs, err := r.Query(ctx(t), Query{})
	require.NoError(t, err)
	require.Equal(t, []string{"n-19", "n-20"}, ids(recs), "m-0 was evicted")

	for i, rec := range held {
		last := len(rec.History) - 1 // the created hook's copy has less history
		assert.Equal(t, "m-0", rec.ID, i)
		assert.Equal(t, "m-0", rec.Message.ID, i)
		assert.Equal(t, "u1", rec.UserID, i)
		assert.Empty(t, rec.TicketID, i)
		assert.Equal(t, rec.History[last].To, rec.Status, i)
		want := []Status{StatusPending, StatusSending, StatusRetrying}[:last+1]
		var path []Status
		for _, tr := range rec.History {
			path = append(path, tr.To)
			assert.NotEqual(t, ReasonConnError, tr.Reason, i)
		}
		assert.Equal(t, want, path, i)
	}
	assert.Equal(t, ReasonAckTimeout, held[0].Reason)
	assert.Equal(t, "late", held[0].Error)
}

// checkingStore is a MemoryStore that fails the test when the recorder hands
// it, as a new record or a change, a *Record it still holds under another id:
// a record reused while still referenced.
type checkingStore struct {
	*MemoryStore
	held map[*Record]string // each pointer the store holds, and its id
	bad  []string
}

func (s *checkingStore) Put(rec *Record) {
	if id, ok := s.held[rec]; ok && id != rec.ID {
		s.bad = append(s.bad, fmt.Sprintf("record %s reused as %s while held", id, rec.ID))
	}
	if old, ok := s.MemoryStore.Get(rec.ID); ok && old != rec {
		s.bad = append(s.bad, fmt.Sprintf("record %s replaced by another pointer", rec.ID))
	}
	s.held[rec] = rec.ID
	s.MemoryStore.Put(rec)
}

func (s *checkingStore) Delete(id string) {
	if rec, ok := s.MemoryStore.Get(id); ok {
		if rec.ID != id {
			s.bad = append(s.bad, fmt.Sprintf("record %s reused as %s before its Delete", id, rec.ID))
		}
		delete(s.held, rec)
	}
	s.MemoryStore.Delete(id)
}

// Every way out of the store (MaxRecords eviction, DeleteRecord, retention)
// recycles a record only once the store let go of it, and once: no record
// is reused while the store still holds it.
func TestEvictedRecordIsNotReusedWhileHeld(t *testing.T) {
	s := &checkingStore{MemoryStore: NewMemoryStore(), held: map[*Record]string{}}
	r := newRecorder(t, Config{MaxRecords: 8, Store: s, Retention: 50 * time.Millisecond, CleanupInterval: 10 * time.Millisecond})
	b := r.NewBatch()
	for round := range 3 {
		for i := range 30 {
			id := fmt.Sprint(round, "-", i)
			b.Accepted(message(id), "u1", "", StatusSending, "")
			if i%3 == 0 {
				b.Status(id, StatusSuccess, "", "")
			}
			if i%10 == 9 {
				b.Flush()
				require.NoError(t, r.DeleteRecord(ctx(t), id))
			}
		}
		b.Flush()
		require.Eventually(t, func() bool { // the retention clean-up empties the store
			st, err := r.Stats(ctx(t))
			return err == nil && st.Total == 0
		}, waitFor, 5*time.Millisecond)
	}
	st, err := r.Stats(ctx(t)) // after every store call above
	require.NoError(t, err)
	assert.Positive(t, st.Evicted)
	assert.Positive(t, st.Deleted)
	assert.Positive(t, st.Expired)
	assert.Empty(t, s.bad)
	assert.Empty(t, s.held)
}

// A record built from a recycled one starts clean: nothing of the evicted
// record (error, attempts, tags, custom fields, extra data, history) shows.
func TestRecycledRecordStartsClean(t *testing.T) {
	r := newRecorder(t, Config{MaxRecords: 1})
	r.Accepted(message("m-0"), "u1", "t1", StatusSending, "")
	r.RetryAttempt("m-0", 1, "no ack")
	r.Status("m-0", StatusFailed, ReasonAckTimeout, "gave up")
	_, err := r.AddTag(ctx(t), "m-0", "vip")
	require.NoError(t, err)
	require.NoError(t, r.SetCustomField(ctx(t), "m-0", "k", 1))
	require.NoError(t, r.SetExtra(ctx(t), "m-0", "x", 2))

	r.Accepted(message("m-1"), "u2", "", StatusSuccess, "") // evicts m-0, takes its record
	got, err := r.GetRecord(ctx(t), "m-1")
	require.NoError(t, err)
	_, err = r.GetRecord(ctx(t), "m-0")
	require.ErrorIs(t, err, ErrRecordNotFound)
	assert.Equal(t, "u2", got.UserID)
	assert.Empty(t, got.TicketID)
	assert.Empty(t, got.Reason)
	assert.Empty(t, got.Error)
	assert.Empty(t, got.Attempts)
	assert.Empty(t, got.Tags)
	assert.Empty(t, got.CustomFields)
	assert.Empty(t, got.Extra)
	require.Len(t, got.History, 2)
	assert.Equal(t, StatusPending, got.History[0].To)
	assert.Equal(t, StatusSuccess, got.History[1].To)
}

// The next record created is the one recycled last, and no more than maxFree
// are kept. (gremlins --diff b23db92: the bound's >= turned < or > lived.)
func TestRecycleReusesAndIsBounded(t *testing.T) {
	a := newRecorderActor(Config{NodeID: "n"}, nil, nil)
	e := batchEvent{kind: batchAccepted, msg: message("m-0"), user: "u", status: StatusSuccess, at: time.Now()}
	rec := a.newRecord(&e)
	a.recycle(rec)
	e.msg = message("m-1")
	again := a.newRecord(&e)
	require.Same(t, rec, again, "the recycled record is the next one")
	assert.Equal(t, "m-1", again.ID)
	assert.Empty(t, a.free)

	recs := make([]*Record, maxFree+1)
	for i := range recs {
		e.msg = message(fmt.Sprint("x-", i))
		recs[i] = a.newRecord(&e)
	}
	for _, r := range recs {
		a.recycle(r)
	}
	assert.Len(t, a.free, maxFree, "a clean-up of thousands keeps maxFree")
}

// A record recycled twice is in the free list once: the next two records
// created are two records. (Broken by hand: without the pooled check both
// came out as the same pointer.)
func TestRecycledTwiceIsKeptOnce(t *testing.T) {
	a := newRecorderActor(Config{NodeID: "n"}, nil, nil)
	e := batchEvent{kind: batchAccepted, msg: message("m-0"), user: "u", status: StatusSuccess, at: time.Now()}
	rec := a.newRecord(&e)
	a.recycle(rec)
	a.recycle(rec)
	require.Len(t, a.free, 1)
	e.msg = message("m-1")
	first := a.newRecord(&e)
	e.msg = message("m-2")
	second := a.newRecord(&e)
	assert.NotSame(t, first, second)
	assert.Equal(t, "m-1", first.ID)
	assert.Equal(t, "m-2", second.ID)
}
