package recorder

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCreatedStoresACopy(t *testing.T) {
	r := newRecorder(t, Config{NodeID: "node-1"})
	msg := message("m-1")
	r.Created(msg, "u1", "t1")
	msg.Content = "changed by the caller"
	msg.Data["k"] = "changed"

	rec, err := r.GetRecord(ctx(t), "m-1")
	require.NoError(t, err)
	assert.Equal(t, "hello m-1", rec.Message.Content)
	assert.Equal(t, "v", rec.Message.Data["k"])
	assert.Equal(t, "u1", rec.UserID)
	assert.Equal(t, "t1", rec.TicketID)
	assert.Equal(t, "node-1", rec.NodeID)
	assert.Equal(t, StatusPending, rec.Status)
	assert.False(t, rec.CreatedAt.IsZero())
	assert.Equal(t, []Transition{{To: StatusPending, At: rec.CreatedAt}}, rec.History)
}

func TestStatusTransitionsAppliedInOrder(t *testing.T) {
	r := newRecorder(t, Config{})
	type change struct{ old, new Status }
	changes := make(chan change, 16)
	r.OnStatusUpdated(func(_ Record, old, new Status) { changes <- change{old, new} })

	r.Created(message("m-1"), "u1", "")
	steps := []struct {
		s      Status
		reason Reason
		err    string
	}{
		{StatusSending, "", ""},
		{StatusAckTimeout, ReasonAckTimeout, "no ack"},
		{StatusRetrying, "", ""},
		{StatusSending, "", ""},
		{StatusFailed, ReasonMaxRetry, "gave up"},
		{StatusUserOffline, ReasonUserOffline, ""},
		{StatusSuccess, "", ""},
		{StatusExpired, ReasonExpired, "too old"},
	}
	for _, s := range steps {
		r.Status("m-1", s.s, s.reason, s.err)
	}

	rec, err := r.GetRecord(ctx(t), "m-1")
	require.NoError(t, err)
	require.Len(t, rec.History, len(steps)+1)
	prev := StatusPending
	for i, s := range steps {
		h := rec.History[i+1]
		assert.Equal(t, prev, h.From, "step %d", i)
		assert.Equal(t, s.s, h.To, "step %d", i)
		assert.Equal(t, s.reason, h.Reason, "step %d", i)
		assert.False(t, h.At.Before(rec.History[i].At), "step %d goes back in time", i)
		assert.Equal(t, change{prev, s.s}, recv(t, changes), "hook for step %d", i)
		prev = s.s
	}
	assert.Equal(t, StatusExpired, rec.Status)
	assert.Equal(t, ReasonExpired, rec.Reason)
	assert.Equal(t, "too old", rec.Error)
	assert.Equal(t, rec.History[len(rec.History)-1].At, rec.UpdatedAt)
}

func TestAllStatusesAndReasonsCounted(t *testing.T) {
	r := newRecorder(t, Config{})
	for _, s := range Statuses {
		id := "s-" + string(s)
		r.Created(message(id), "u1", "")
		if s != StatusPending {
			r.Status(id, s, "", "")
		}
	}
	for _, reason := range Reasons {
		id := "r-" + string(reason)
		r.Created(message(id), "u1", "")
		r.Status(id, StatusFailed, reason, "because")
	}

	for _, s := range Statuses {
		rec, err := r.GetRecord(ctx(t), "s-"+string(s))
		require.NoError(t, err)
		assert.Equal(t, s, rec.Status)
	}
	for _, reason := range Reasons {
		rec, err := r.GetRecord(ctx(t), "r-"+string(reason))
		require.NoError(t, err)
		assert.Equal(t, reason, rec.Reason)
		assert.Equal(t, "because", rec.Error)
	}

	st, err := r.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, len(Statuses)+len(Reasons), st.Total)
	assert.Equal(t, uint64(st.Total), st.Created)
	require.Len(t, st.ByStatus, 8)
	for _, s := range Statuses {
		want := 1
		if s == StatusFailed {
			want += len(Reasons)
		}
		assert.Equal(t, want, st.ByStatus[s], "status %s", s)
	}
	require.Len(t, st.ByReason, 9)
	for _, reason := range Reasons {
		assert.Equal(t, 1, st.ByReason[reason], "reason %s", reason)
	}
	// Finished: success, expired, user_offline, ack_timeout, and 10 failed.
	assert.InDelta(t, 1.0/14, st.SuccessRate, 1e-9)
}

func TestRetryAttemptRecorded(t *testing.T) {
	r := newRecorder(t, Config{})
	type attempt struct {
		n   int
		len int
	}
	got := make(chan attempt, 4)
	r.OnRetryAttempt(func(rec Record, n int) { got <- attempt{n, len(rec.Attempts)} })

	r.Created(message("m-1"), "u1", "")
	r.RetryAttempt("m-1", 1, "")
	r.RetryAttempt("m-1", 2, "write: broken pipe")

	assert.Equal(t, attempt{1, 1}, recv(t, got))
	assert.Equal(t, attempt{2, 2}, recv(t, got))
	rec, err := r.GetRecord(ctx(t), "m-1")
	require.NoError(t, err)
	require.Len(t, rec.Attempts, 2)
	assert.Equal(t, 1, rec.Attempts[0].N)
	assert.Equal(t, "write: broken pipe", rec.Attempts[1].Err)
	assert.False(t, rec.Attempts[1].At.Before(rec.Attempts[0].At))
	st, err := r.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, uint64(2), st.RetryAttempts)
}

func TestEventsThatChangeNothingAreIgnoredAndCounted(t *testing.T) {
	r := newRecorder(t, Config{})
	r.Created(message("m-1"), "u1", "")
	r.Created(message("m-1"), "u2", "")          // duplicate id
	r.Created(message(""), "u1", "")             // no id
	r.Created(nil, "u1", "")                     // no message: dropped at the call
	r.Status("gone", StatusSuccess, "", "")      // unknown id
	r.Status("m-1", Status("delivered"), "", "") // invalid status
	r.RetryAttempt("gone", 1, "")                // unknown id
	r.Status("m-1", StatusSending, "", "")       // applied

	rec, err := r.GetRecord(ctx(t), "m-1")
	require.NoError(t, err)
	assert.Equal(t, "u1", rec.UserID)
	assert.Equal(t, StatusSending, rec.Status)
	st, err := r.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, uint64(5), st.Ignored)
	assert.Equal(t, 1, st.Total)
}

func TestConcurrentProducersAndReaders(t *testing.T) {
	r := newRecorder(t, Config{MaxRecords: 1000})
	var hooked atomic.Int64
	r.OnStatusUpdated(func(rec Record, _, _ Status) {
		if _, err := r.GetRecord(context.Background(), rec.ID); err == nil {
			hooked.Add(1)
		}
	})
	const producers, each = 4, 200
	var wg sync.WaitGroup
	for p := range producers {
		wg.Go(func() {
			for i := range each {
				id := fmt.Sprintf("p%d-%d", p, i)
				r.Created(message(id), "u1", "")
				r.Status(id, StatusSending, "", "")
				r.Status(id, StatusSuccess, "", "")
			}
		})
	}
	wg.Go(func() {
		for range 50 {
			_, err := r.Query(context.Background(), Query{Status: StatusSuccess, Limit: 10})
			assert.NoError(t, err)
		}
	})
	wg.Wait()

	st, err := r.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, producers*each, st.Total)
	assert.Equal(t, producers*each, st.ByStatus[StatusSuccess])
	assert.InDelta(t, 1.0, st.SuccessRate, 1e-9)
	require.Eventually(t, func() bool { return hooked.Load() == 2*producers*each }, waitFor, time.Millisecond)
}

func TestAcceptedCreatesAndMovesInOneEvent(t *testing.T) {
	r := newRecorder(t, Config{})
	moved := make(chan [2]Status, 1)
	r.OnStatusUpdated(func(_ Record, old, new Status) { moved <- [2]Status{old, new} })
	r.Accepted(message("acc-1"), "u", "", StatusUserOffline, ReasonUserOffline)
	var rec Record
	require.Eventually(t, func() bool {
		got, err := r.GetRecord(context.Background(), "acc-1")
		rec = got
		return err == nil
	}, waitFor, time.Millisecond)
	assert.Equal(t, StatusUserOffline, rec.Status)
	require.Len(t, rec.History, 2)
	assert.Equal(t, StatusPending, rec.History[0].To)
	assert.Equal(t, Transition{From: StatusPending, To: StatusUserOffline, Reason: ReasonUserOffline, At: rec.History[1].At}, rec.History[1])
	assert.Equal(t, ReasonUserOffline, rec.Reason)
	assert.Equal(t, [2]Status{StatusPending, StatusUserOffline}, <-moved)
	content := rec.Message.Content
	rec.Message.Content = "changed"
	again, err := r.GetRecord(context.Background(), "acc-1")
	require.NoError(t, err)
	assert.Equal(t, content, again.Message.Content, "queries still return copies")
}

func TestAcceptedAgainMovesTheExistingRecord(t *testing.T) {
	r := newRecorder(t, Config{})
	r.Accepted(message("again"), "u", "", StatusUserOffline, ReasonUserOffline)
	r.Status("again", StatusRetrying, "", "")
	r.Accepted(message("again"), "u", "", StatusSuccess, "") // the resend got through
	require.Eventually(t, func() bool {
		rec, err := r.GetRecord(context.Background(), "again")
		return err == nil && rec.Status == StatusSuccess && len(rec.History) == 4
	}, waitFor, time.Millisecond)
}
