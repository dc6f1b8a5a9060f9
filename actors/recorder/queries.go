package recorder

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// Query selects records; zero fields match everything. Results come oldest
// first.
type Query struct {
	Status   Status
	Reason   Reason
	Tag      string
	UserID   string
	TicketID string
	Limit    int // at most this many; <= 0 means all
}

func (q Query) match(rec *Record) bool {
	return (q.Status == "" || rec.Status == q.Status) &&
		(q.Reason == "" || rec.Reason == q.Reason) &&
		(q.Tag == "" || rec.HasTag(q.Tag)) &&
		(q.UserID == "" || rec.UserID == q.UserID) &&
		(q.TicketID == "" || rec.TicketID == q.TicketID)
}

// GetRecord returns a copy of the record of message id, or ErrRecordNotFound.
func (r *Recorder) GetRecord(ctx context.Context, id string) (Record, error) {
	reply := make(chan result[Record], 1)
	return askResult(ctx, r, &getRecord{id: id, reply: reply}, reply)
}

// Query returns copies of the records q selects, oldest first.
func (r *Recorder) Query(ctx context.Context, q Query) ([]Record, error) {
	return r.list(ctx, q.match, q.Limit)
}

// GetFailedRecords returns copies of up to limit records in status failed,
// oldest first (limit <= 0: all).
func (r *Recorder) GetFailedRecords(ctx context.Context, limit int) ([]Record, error) {
	return r.Query(ctx, Query{Status: StatusFailed, Limit: limit})
}

// GetRetryableRecords returns copies of up to limit records that
// RetryFailedMessages would resend, oldest first (limit <= 0: all): status
// failed, ack_timeout or user_offline, with attempts left of MaxRetry, a user
// or ticket to send to, and younger than Retention.
func (r *Recorder) GetRetryableRecords(ctx context.Context, limit int) ([]Record, error) {
	cfg := r.Config() // r may be nil
	now, maxRetry, retention := time.Now(), cfg.MaxRetry, cfg.Retention
	return r.list(ctx, func(rec *Record) bool {
		return rec.Status.isRetryable() && rec.AttemptsLeft(maxRetry) > 0 &&
			rec.hasTarget() && !rec.expired(now, retention)
	}, limit)
}

// GetRecordsByTag returns copies of the records carrying tag, oldest first.
func (r *Recorder) GetRecordsByTag(ctx context.Context, tag string) ([]Record, error) {
	return r.Query(ctx, Query{Tag: tag})
}

// Stats returns the recorder's counters.
func (r *Recorder) Stats(ctx context.Context) (Stats, error) {
	reply := make(chan Stats, 1)
	s, err := ask(ctx, r, &getStats{reply: reply}, reply)
	if err != nil {
		return Stats{}, err
	}
	s.HookPanics = r.panics.Load()
	return s, nil
}

// list asks the actor for copies of the records match selects. match is
// this package's code, run on the actor's goroutine.
func (r *Recorder) list(ctx context.Context, match func(*Record) bool, limit int) ([]Record, error) {
	reply := make(chan []Record, 1)
	return ask(ctx, r, &listRecords{match: match, limit: limit, reply: reply}, reply)
}

// Actor side.

func (a *recorderActor) getRecord(m *getRecord) {
	rec, ok := a.store.Get(m.id)
	if !ok {
		m.reply <- result[Record]{err: ErrRecordNotFound}
		return
	}
	m.reply <- result[Record]{val: rec.Clone()}
}

// list returns copies of up to limit matching records, oldest first.
func (a *recorderActor) list(match func(*Record) bool, limit int) []Record {
	var hits []*Record
	a.store.Range(func(rec *Record) bool {
		if match(rec) {
			hits = append(hits, rec)
		}
		return true
	})
	slices.SortFunc(hits, func(x, y *Record) int { return cmp.Compare(a.order.seq(x), a.order.seq(y)) })
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Record, len(hits))
	for i, rec := range hits {
		out[i] = rec.Clone()
	}
	return out
}
