package recorder

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A flush of one event (a quiet hub) applies it as the Recorder method
// would, each kind.
func TestBatchFlushesOneEvent(t *testing.T) {
	r := newRecorder(t, Config{})
	hooks := make(chan string, 16)
	r.OnStatusUpdated(func(rec Record, from, to Status) { hooks <- fmt.Sprint(rec.ID, " ", from, ">", to) })
	r.OnRetryAttempt(func(rec Record, n int) { hooks <- fmt.Sprint(rec.ID, " attempt ", n) })

	b := r.NewBatch()
	b.Accepted(message("m-1"), "u1", "", StatusSending, "")
	b.Flush()
	b.RetryAttempt("m-1", 1, "no ack")
	b.Flush()
	b.Status("m-1", StatusSuccess, "", "")
	b.Flush()
	for _, want := range []string{"m-1 pending>sending", "m-1 attempt 1", "m-1 sending>success"} {
		assert.Equal(t, want, recv(t, hooks))
	}
	rec, err := r.GetRecord(ctx(t), "m-1")
	require.NoError(t, err)
	assert.Equal(t, StatusSuccess, rec.Status)
	require.Len(t, rec.Attempts, 1)
}

// The recorder gives an applied batch back, emptied, and the next Flush
// sends it again: no allocation per flush; a batch grown by a burst is not
// kept.
func TestBatchIsReusedOnceApplied(t *testing.T) {
	r := newRecorder(t, Config{})
	b := r.NewBatch()
	b.Accepted(message("m-1"), "u1", "", StatusSending, "")
	b.Status("m-1", StatusSuccess, "", "")
	sent := b.cur
	b.Flush()
	_, err := r.Stats(ctx(t)) // answered after the batch was applied and given back
	require.NoError(t, err)

	require.Len(t, b.spare, 1)
	back := <-b.spare
	require.Same(t, sent, back, "the batch sent comes back")
	assert.Empty(t, back.events)
	for _, e := range back.events[:cap(back.events)] {
		assert.Zero(t, e, "a spare batch keeps nothing alive")
	}
	b.spare <- back
	b.Status("m-1", StatusSuccess, "", "")
	assert.Same(t, sent, b.cur, "the next events go into it")
	b.Flush()

	for i := range maxSpareEvents + 1 {
		b.Status(fmt.Sprint("burst-", i), StatusSuccess, "", "")
	}
	burst := b.cur
	b.Flush()
	_, err = r.Stats(ctx(t))
	require.NoError(t, err)
	for len(b.spare) > 0 {
		assert.NotSame(t, burst, <-b.spare, "a burst's big slice is left to the collector")
	}

	// a batch of exactly the bound is kept (gremlins --diff b23db92: the
	// bound's > turned >= lived)
	for i := range maxSpareEvents {
		b.Status(fmt.Sprint("full-", i), StatusSuccess, "", "")
	}
	full := b.cur
	require.Equal(t, maxSpareEvents, cap(full.events), "sized by the last burst, up to the bound")
	b.Flush()
	_, err = r.Stats(ctx(t))
	require.NoError(t, err)
	require.Len(t, b.spare, 1)
	assert.Same(t, full, <-b.spare)
}

// A batch given a clock stamps every kind of event with it.
func TestBatchUsesItsClock(t *testing.T) {
	r := newRecorder(t, Config{})
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	b := r.NewBatch()
	b.UseClock(func() time.Time { return at })
	b.Accepted(message("m-1"), "u1", "", StatusSending, "")
	b.RetryAttempt("m-1", 1, "")
	b.Status("m-1", StatusSuccess, "", "")
	b.Flush()
	rec, err := r.GetRecord(ctx(t), "m-1")
	require.NoError(t, err)
	assert.Equal(t, at, rec.CreatedAt)
	assert.Equal(t, at, rec.UpdatedAt)
	require.Len(t, rec.History, 3)
	for _, tr := range rec.History {
		assert.Equal(t, at, tr.At)
	}
	require.Len(t, rec.Attempts, 1)
	assert.Equal(t, at, rec.Attempts[0].At)
}
