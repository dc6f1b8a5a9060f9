package main

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/recorder"
)

// Limits of the records API: the default and largest page, and the most
// messages one POST /api/retry-failed resends.
const (
	defaultRecordLimit = 100
	maxRecordLimit     = 10_000
	defaultRetryLimit  = 10
	maxRetryLimit      = 1000
	// defaultRecordsBytes bounds the JSON of one GET /api/records
	// (-records-answer-bytes): records carry their messages, and 10,000
	// records of large messages would otherwise be encoded into memory at
	// once (five such requests took 4 GB).
	defaultRecordsBytes = 8 << 20
)

// recordParams are the query parameters GET /api/records accepts; any other
// is refused, so that a typo does not silently list everything.
var recordParams = []string{"status", "reason", "tag", "user_id", "ticket_id", "retryable", "order", "limit"}

// recordsQuery is a parsed GET /api/records.
type recordsQuery struct {
	q         recorder.Query // Limit left zero: applied after ordering
	retryable bool
	oldest    bool
	limit     int
}

func parseRecordsQuery(r *http.Request) (recordsQuery, error) {
	v := r.URL.Query()
	for key := range v {
		if !slices.Contains(recordParams, key) {
			return recordsQuery{}, fmt.Errorf("wsc: unknown query parameter %q", key)
		}
	}
	rq := recordsQuery{q: recorder.Query{Status: recorder.Status(v.Get("status")), Reason: recorder.Reason(v.Get("reason")),
		Tag: v.Get("tag"), UserID: v.Get("user_id"), TicketID: v.Get("ticket_id")}}
	if rq.q.Status != "" && !rq.q.Status.IsValid() {
		return rq, fmt.Errorf("wsc: unknown status %q (one of %v)", rq.q.Status, recorder.Statuses)
	}
	if rq.q.Reason != "" && !rq.q.Reason.IsValid() {
		return rq, fmt.Errorf("wsc: unknown reason %q (one of %v)", rq.q.Reason, recorder.Reasons)
	}
	var err error
	if rq.retryable, err = boolParam(v, "retryable"); err != nil {
		return rq, err
	}
	switch v.Get("order") {
	case "", "newest":
	case "oldest":
		rq.oldest = true
	default:
		return rq, fmt.Errorf("wsc: order must be newest or oldest, not %q", v.Get("order"))
	}
	rq.limit, err = queryLimit(r, defaultRecordLimit, maxRecordLimit)
	return rq, err
}

func boolParam(v url.Values, key string) (bool, error) {
	switch v.Get(key) {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, fmt.Errorf("wsc: %s must be true or false, not %q", key, v.Get(key))
}

func (s *server) handleRecords(w http.ResponseWriter, r *http.Request) {
	rq, err := parseRecordsQuery(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	rec := s.hub.Records()
	var recs []recorder.Record
	if rq.retryable {
		recs, err = rec.GetRetryableRecords(r.Context(), 0)
		recs = slices.DeleteFunc(recs, func(x recorder.Record) bool { return !matches(rq.q, &x) })
	} else {
		recs, err = rec.Query(r.Context(), rq.q)
	}
	if err != nil {
		writeHubError(w, err)
		return
	}
	if !rq.oldest {
		slices.Reverse(recs)
	}
	total := len(recs)
	writeRecordList(w, recs[:min(len(recs), rq.limit)], total, s.cfg.RecordsAnswerBytes)
}

// matches is recorder.Query's selection, for lists the recorder made another
// way (the retryable ones).
func matches(q recorder.Query, rec *recorder.Record) bool {
	return (q.Status == "" || rec.Status == q.Status) && (q.Reason == "" || rec.Reason == q.Reason) &&
		(q.Tag == "" || rec.HasTag(q.Tag)) && (q.UserID == "" || rec.UserID == q.UserID) &&
		(q.TicketID == "" || rec.TicketID == q.TicketID)
}

func (s *server) handleRecord(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "record id")
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	rec, err := s.hub.Records().GetRecord(r.Context(), id)
	if err != nil {
		writeHubError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, viewRecord(rec))
}

// retryView is a recorder.RetryResult as the API writes it.
type retryView struct {
	ID      string `json:"id"`
	Attempt int    `json:"attempt"` // 0: no attempt was made
	Error   string `json:"error,omitempty"`
	Stored  bool   `json:"stored,omitempty"` // the user is still offline: kept in the offline store again
}

func viewRetry(res recorder.RetryResult) retryView {
	v := retryView{ID: res.ID, Attempt: res.Attempt}
	if res.Err != nil {
		v.Error = res.Err.Error()
		v.Stored = res.Attempt > 0 && errors.Is(res.Err, hub.ErrUserOffline)
	}
	return v
}

// handleRetry resends one record's message. A refusal before any attempt
// (unknown record, already delivered, no attempts left, …) is answered with
// its error status; once an attempt is made the answer is 202, or 404 with
// "stored" when the user is still offline, as for POST /api/send.
func (s *server) handleRetry(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "record id")
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	res, err := s.hub.Records().RetryMessage(r.Context(), id)
	switch {
	case err == nil:
		writeJSON(w, http.StatusAccepted, viewRetry(res))
	case res.Attempt > 0 && errors.Is(err, hub.ErrUserOffline):
		writeJSON(w, http.StatusNotFound, viewRetry(res))
	default:
		writeHubError(w, err)
	}
}

// handleRetryFailed resends up to ?limit= retryable records, oldest first,
// and lists one result for each.
func (s *server) handleRetryFailed(w http.ResponseWriter, r *http.Request) {
	for key := range r.URL.Query() {
		if key != "limit" {
			writeError(w, http.StatusBadRequest, fmt.Errorf("wsc: unknown query parameter %q", key))
			return
		}
	}
	n, err := queryLimit(r, defaultRetryLimit, maxRetryLimit)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if !s.hub.Records().Enabled() {
		writeHubError(w, recorder.ErrRecordingDisabled)
		return
	}
	results := s.hub.Records().RetryFailedMessages(r.Context(), n)
	views := make([]retryView, len(results))
	resent := 0
	for i, res := range results {
		views[i] = viewRetry(res)
		if res.Err == nil {
			resent++
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": views, "tried": len(views), "resent": resent})
}
