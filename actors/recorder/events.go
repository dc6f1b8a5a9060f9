package recorder

import "time"

// The hot path: events from the hub, sessions and ack tracker, applied in
// mailbox order.

// create inserts a new record (Accepted, Created), evicting first if the
// store is full; the record is built from the one evicted, if any
// (recycle.go): a recorder at its cap allocates none.
func (a *recorderActor) create(e *batchEvent) {
	id := e.msg.ID
	if id == "" {
		a.stats.ignored++
		return
	}
	if existing, dup := a.store.Get(id); dup {
		if e.status != StatusPending {
			// Accepted again: a resend (RetryMessage) routed anew keeps its record
			// and takes the status of its new routing
			a.apply(existing, e.status, e.reason, "", e.at)
			return
		}
		a.stats.ignored++
		return
	}
	size := messageSize(e.msg)
	for a.store.Len() >= a.cfg.MaxRecords || a.bytes+size > a.cfg.MaxRecordBytes {
		if !a.evictOne() {
			break
		}
	}
	rec := a.newRecord(e)
	rec.size = size
	a.bytes += size
	a.store.Put(rec)
	a.order.add(rec)
	a.stats.add(rec)
	a.stats.created++
	if a.hookCount[hookCreated] > 0 {
		a.emit(hookEvent{kind: hookCreated, rec: rec.Clone()})
	}
	if rec.Status != StatusPending && a.hookCount[hookStatus] > 0 { // Accepted: created and moved at once
		a.emit(hookEvent{kind: hookStatus, rec: rec.Clone(), from: StatusPending, to: rec.Status})
	}
}

// setStatus applies one status change.
func (a *recorderActor) setStatus(id string, s Status, reason Reason, errText string, at time.Time) {
	rec, ok := a.store.Get(id)
	if !ok || !s.IsValid() {
		a.stats.ignored++
		return
	}
	a.apply(rec, s, reason, errText, at)
}

// apply moves rec to status to and tells whoever listens.
func (a *recorderActor) apply(rec *Record, to Status, reason Reason, errText string, at time.Time) {
	a.stats.drop(rec)
	from := rec.transition(to, reason, errText, at)
	a.stats.add(rec)
	if from.IsFinished() != to.IsFinished() {
		a.order.update(rec, to.IsFinished())
	}
	a.store.Put(rec)
	if a.hookCount[hookStatus] > 0 {
		a.emit(hookEvent{kind: hookStatus, rec: rec.Clone(), from: from, to: to})
	}
}

// addAttempt appends attempt n to a record.
func (a *recorderActor) addAttempt(id string, n int, errText string, at time.Time) {
	rec, ok := a.store.Get(id)
	if !ok {
		a.stats.ignored++
		return
	}
	rec.Attempts = append(rec.Attempts, Attempt{N: n, At: at, Err: errText})
	rec.touch(at)
	a.store.Put(rec)
	a.stats.attempts++
	if a.hookCount[hookRetry] > 0 {
		a.emit(hookEvent{kind: hookRetry, rec: rec.Clone(), n: n})
	}
}
