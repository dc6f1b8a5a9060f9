package recorder

import (
	"context"
	"time"
)

// RetryResult is the outcome of one retry.
type RetryResult struct {
	ID      string
	Attempt int   // the attempt number used; 0 when none was made
	Err     error // nil when the resender accepted the message
}

// SetResender registers the function that resends a record's message (the
// hub's). It is called by RetryMessage and RetryFailedMessages on their
// caller's goroutine, never on the recorder's mailbox, with a copy of the
// record; a nil fn unsets it.
func (r *Recorder) SetResender(fn func(ctx context.Context, rec Record) error) {
	if !r.live() {
		return
	}
	r.root.Send(r.pid, &setResender{fn: fn})
}

// RetryMessage resends the message of record id through the resender. It
// first reserves an attempt (recorded with its time, the record moving to
// retrying, hooks firing), then calls the resender; if that fails, the
// attempt gets the error and a record still retrying becomes failed (reason
// unknown). After a successful resend the hub's own events move the record
// on. Errors: ErrRecordingDisabled, ErrNoResender, ErrRecordNotFound,
// ErrAlreadySucceeded, ErrRecordExpired, ErrNoTarget, ErrNoAttemptsLeft,
// checked in this order, or the resender's error.
func (r *Recorder) RetryMessage(ctx context.Context, id string) (RetryResult, error) {
	res := r.retry(ctx, id)
	return res, res.Err
}

// RetryFailedMessages retries up to n records of GetRetryableRecords, oldest
// first, and returns one result per record tried. It returns nil when n <= 0
// or when no record could be picked (recording disabled, recorder stopped,
// ctx ended).
func (r *Recorder) RetryFailedMessages(ctx context.Context, n int) []RetryResult {
	if n <= 0 {
		return nil
	}
	recs, err := r.GetRetryableRecords(ctx, n)
	if err != nil || len(recs) == 0 {
		return nil
	}
	results := make([]RetryResult, 0, len(recs))
	for _, rec := range recs {
		results = append(results, r.retry(ctx, rec.ID))
	}
	return results
}

func (r *Recorder) retry(ctx context.Context, id string) RetryResult {
	reply := make(chan result[retryCall], 1)
	if err := r.send(ctx, &prepareRetry{id: id, at: time.Now(), reply: reply}); err != nil {
		return RetryResult{ID: id, Err: err}
	}
	res, err := wait(ctx, r, reply)
	if err != nil {
		// The actor may still reserve an attempt: close it when it does.
		go r.abandonRetry(id, reply, err)
		return RetryResult{ID: id, Err: err}
	}
	if res.err != nil {
		return RetryResult{ID: id, Err: res.err}
	}
	call := res.val
	err = r.guard(func() error { return call.fn(ctx, call.rec) })
	r.finishRetry(id, call.n, err)
	return RetryResult{ID: id, Attempt: call.n, Err: err}
}

// abandonRetry waits for a reservation nobody waits for any more and marks
// its attempt failed with why. It ends when the reply comes or the recorder
// stops.
func (r *Recorder) abandonRetry(id string, reply chan result[retryCall], why error) {
	select {
	case res := <-reply:
		if res.err == nil {
			r.finishRetry(id, res.val.n, why)
		}
	case <-r.done:
	}
}

// finishRetry tells the actor how the resend of attempt n went.
func (r *Recorder) finishRetry(id string, n int, err error) {
	if err == nil || !r.live() {
		return
	}
	r.root.Send(r.pid, &retryDone{id: id, n: n, err: err.Error(), at: time.Now()})
}

// Actor side.

func (a *recorderActor) prepareRetry(m *prepareRetry) {
	rec, ok := a.store.Get(m.id)
	var err error
	switch {
	case a.resender == nil:
		err = ErrNoResender
	case !ok:
		err = ErrRecordNotFound
	case rec.Status == StatusSuccess:
		err = ErrAlreadySucceeded
	case rec.expired(m.at, a.cfg.Retention):
		err = ErrRecordExpired
	case !rec.hasTarget():
		err = ErrNoTarget
	case rec.AttemptsLeft(a.cfg.MaxRetry) == 0:
		err = ErrNoAttemptsLeft
	}
	if err != nil {
		m.reply <- result[retryCall]{err: err}
		return
	}
	n := len(rec.Attempts) + 1
	a.addAttempt(rec.ID, n, "", m.at)
	a.apply(rec, StatusRetrying, "", "", m.at)
	m.reply <- result[retryCall]{val: retryCall{fn: a.resender, rec: rec.Clone(), n: n}}
}

// retryDone records a failed resend.
func (a *recorderActor) retryDone(m *retryDone) {
	rec, ok := a.store.Get(m.id)
	if !ok {
		a.stats.ignored++
		return
	}
	for i := len(rec.Attempts) - 1; i >= 0; i-- {
		if rec.Attempts[i].N == m.n {
			rec.Attempts[i].Err = m.err
			break
		}
	}
	rec.touch(m.at)
	a.store.Put(rec)
	if rec.Status == StatusRetrying {
		a.apply(rec, StatusFailed, ReasonUnknown, m.err, m.at)
	}
}
