package recorder

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// resender records the records it is asked to resend and fails with err.
type resender struct {
	got chan Record
	err error
}

func newResender(err error) *resender { return &resender{got: make(chan Record, 16), err: err} }

func (s *resender) resend(_ context.Context, rec Record) error {
	s.got <- rec
	return s.err
}

func TestRetryMessageResendsAndRecordsTheAttempt(t *testing.T) {
	r := newRecorder(t, Config{})
	res := newResender(nil)
	r.SetResender(res.resend)
	attempts := make(chan int, 2)
	r.OnRetryAttempt(func(_ Record, n int) { attempts <- n })
	r.Created(message("m-1"), "u1", "")
	r.Status("m-1", StatusUserOffline, ReasonUserOffline, "")
	c := ctx(t)

	result, err := r.RetryMessage(c, "m-1")
	require.NoError(t, err)
	assert.Equal(t, RetryResult{ID: "m-1", Attempt: 1}, result)
	sent := recv(t, res.got)
	assert.Equal(t, "m-1", sent.ID)
	assert.Equal(t, "hello m-1", sent.Message.Content)
	assert.Equal(t, "u1", sent.UserID)
	assert.Equal(t, 1, recv(t, attempts))

	rec, err := r.GetRecord(c, "m-1")
	require.NoError(t, err)
	assert.Equal(t, StatusRetrying, rec.Status)
	require.Len(t, rec.Attempts, 1)
	assert.Equal(t, 1, rec.Attempts[0].N)
	assert.Empty(t, rec.Attempts[0].Err)

	// The hub's own events move it on after the resend.
	r.Status("m-1", StatusSuccess, "", "")
	_, err = r.RetryMessage(c, "m-1")
	require.ErrorIs(t, err, ErrAlreadySucceeded)
}

func TestRetryMessageRecordsTheResendError(t *testing.T) {
	r := newRecorder(t, Config{})
	errDown := errors.New("hub closed")
	r.SetResender(newResender(errDown).resend)
	r.Created(message("m-1"), "u1", "")
	r.Status("m-1", StatusFailed, ReasonConnError, "")
	c := ctx(t)

	result, err := r.RetryMessage(c, "m-1")
	require.ErrorIs(t, err, errDown)
	assert.Equal(t, 1, result.Attempt)

	rec, err := r.GetRecord(c, "m-1")
	require.NoError(t, err)
	assert.Equal(t, StatusFailed, rec.Status)
	assert.Equal(t, ReasonUnknown, rec.Reason)
	assert.Equal(t, "hub closed", rec.Error)
	require.Len(t, rec.Attempts, 1)
	assert.Equal(t, "hub closed", rec.Attempts[0].Err)
	tos := make([]Status, 0, len(rec.History))
	for _, h := range rec.History {
		tos = append(tos, h.To)
	}
	assert.Equal(t, []Status{StatusPending, StatusFailed, StatusRetrying, StatusFailed}, tos)
}

func TestRetryMessageErrors(t *testing.T) {
	cases := []struct {
		name  string
		cfg   Config
		setup func(r *Recorder)
		id    string
		want  error
	}{
		{"no resender", Config{}, func(r *Recorder) {
			r.Created(message("m-1"), "u1", "")
		}, "m-1", ErrNoResender},
		{"not found", Config{}, func(*Recorder) {}, "m-1", ErrRecordNotFound},
		{"already succeeded", Config{}, func(r *Recorder) {
			r.Created(message("m-1"), "u1", "")
			r.Status("m-1", StatusSuccess, "", "")
		}, "m-1", ErrAlreadySucceeded},
		{"expired status", Config{}, func(r *Recorder) {
			r.Created(message("m-1"), "u1", "")
			r.Status("m-1", StatusExpired, ReasonExpired, "")
		}, "m-1", ErrRecordExpired},
		{"past retention", Config{Retention: time.Nanosecond, CleanupInterval: time.Hour}, func(r *Recorder) {
			r.Created(message("m-1"), "u1", "")
		}, "m-1", ErrRecordExpired},
		{"no target", Config{}, func(r *Recorder) {
			r.Created(message("m-1"), "", "")
			r.Status("m-1", StatusFailed, ReasonConnError, "")
		}, "m-1", ErrNoTarget},
		{"no attempts left", Config{MaxRetry: 2}, func(r *Recorder) {
			r.Created(message("m-1"), "", "t1")
			r.RetryAttempt("m-1", 1, "")
			r.RetryAttempt("m-1", 2, "")
			r.Status("m-1", StatusAckTimeout, ReasonMaxRetry, "")
		}, "m-1", ErrNoAttemptsLeft},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRecorder(t, tc.cfg)
			res := newResender(nil)
			if tc.want != ErrNoResender {
				r.SetResender(res.resend)
			}
			tc.setup(r)
			result, err := r.RetryMessage(ctx(t), tc.id)
			require.ErrorIs(t, err, tc.want)
			assert.Equal(t, RetryResult{ID: tc.id, Err: err}, result)
			assert.Empty(t, res.got, "the resender must not be called")
		})
	}

	t.Run("disabled", func(t *testing.T) {
		r, err := New(nil, Config{})
		require.NoError(t, err)
		_, err = r.RetryMessage(ctx(t), "m-1")
		require.ErrorIs(t, err, ErrRecordingDisabled)
	})
}

func TestRetryBudgetRunsOut(t *testing.T) {
	r := newRecorder(t, Config{MaxRetry: 2})
	r.SetResender(newResender(errors.New("still down")).resend)
	r.Created(message("m-1"), "u1", "")
	r.Status("m-1", StatusFailed, ReasonNetworkError, "")
	c := ctx(t)

	for n := 1; n <= 2; n++ {
		result, err := r.RetryMessage(c, "m-1")
		require.Error(t, err)
		assert.Equal(t, n, result.Attempt)
	}
	_, err := r.RetryMessage(c, "m-1")
	require.ErrorIs(t, err, ErrNoAttemptsLeft)
	retryable, err := r.GetRetryableRecords(c, 0)
	require.NoError(t, err)
	assert.Empty(t, retryable)
}

func TestRetryFailedMessages(t *testing.T) {
	r := newRecorder(t, Config{})
	res := newResender(nil)
	r.SetResender(res.resend)
	created(r, 6)
	r.Status("m-0", StatusSuccess, "", "")
	r.Status("m-1", StatusFailed, ReasonQueueFull, "")
	r.Status("m-2", StatusAckTimeout, ReasonMaxRetry, "")
	r.Status("m-3", StatusSending, "", "")
	r.Status("m-4", StatusUserOffline, ReasonUserOffline, "")
	r.Status("m-5", StatusFailed, ReasonSendTimeout, "")
	c := ctx(t)

	retryable, err := r.GetRetryableRecords(c, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"m-1", "m-2", "m-4", "m-5"}, ids(retryable))

	results := r.RetryFailedMessages(c, 3)
	assert.Equal(t, []RetryResult{{ID: "m-1", Attempt: 1}, {ID: "m-2", Attempt: 1}, {ID: "m-4", Attempt: 1}}, results)
	for _, id := range []string{"m-1", "m-2", "m-4"} {
		assert.Equal(t, id, recv(t, res.got).ID)
	}
	retryable, err = r.GetRetryableRecords(c, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"m-5"}, ids(retryable), "records being retried are not picked again")

	assert.Nil(t, r.RetryFailedMessages(c, 0))
}

func TestRetryResenderPanicIsAnError(t *testing.T) {
	r := newRecorder(t, Config{})
	r.SetResender(func(context.Context, Record) error { panic("boom") })
	r.Created(message("m-1"), "u1", "")
	_, err := r.RetryMessage(ctx(t), "m-1")
	require.ErrorIs(t, err, ErrHandlerPanic)
	rec, err := r.GetRecord(ctx(t), "m-1")
	require.NoError(t, err)
	assert.Equal(t, StatusFailed, rec.Status)
}

// gatedStore blocks the recorder actor in Get(id) while armed, until
// released: a way to keep the actor busy.
type gatedStore struct {
	*MemoryStore
	id      string
	armed   atomic.Bool
	release chan struct{}
}

func (s *gatedStore) Get(id string) (*Record, bool) {
	if id == s.id && s.armed.CompareAndSwap(true, false) {
		<-s.release
	}
	return s.MemoryStore.Get(id)
}

func TestRetryGivenUpByTheCallerIsClosed(t *testing.T) {
	store := &gatedStore{MemoryStore: NewMemoryStore(), id: "m-1", release: make(chan struct{})}
	r := newRecorder(t, Config{Store: store})
	res := newResender(nil)
	r.SetResender(res.resend)
	r.Created(message("m-1"), "u1", "")
	r.Status("m-1", StatusFailed, ReasonConnError, "")
	_, err := r.GetRecord(ctx(t), "m-1") // every event above is applied
	require.NoError(t, err)

	store.armed.Store(true)
	short, cancel := context.WithTimeout(ctx(t), 10*time.Millisecond)
	defer cancel()
	_, err = r.RetryMessage(short, "m-1")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	close(store.release)

	require.Eventually(t, func() bool {
		rec, err := r.GetRecord(ctx(t), "m-1")
		return err == nil && rec.Status == StatusFailed && len(rec.Attempts) == 1 &&
			rec.Attempts[0].Err == context.DeadlineExceeded.Error()
	}, waitFor, time.Millisecond)
	assert.Empty(t, res.got, "the resender is not called for a retry nobody waits for")
}
