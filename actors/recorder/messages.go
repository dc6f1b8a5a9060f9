package recorder

import (
	"context"
	"time"
)

// Messages to the recorder actor. Events come first: they are the hot path.

// eventBatch and batchEvent (batch.go) carry Accepted, Created and Batch.

// statusEvent moves a record to a new status (Status).
type statusEvent struct {
	id     string
	status Status
	reason Reason
	err    string
	at     time.Time
}

// attemptEvent appends a retry attempt to a record (RetryAttempt).
type attemptEvent struct {
	id  string
	n   int
	err string
	at  time.Time
}

// cleanupTick wakes the retention clean-up; a tick of an old generation is
// ignored.
type cleanupTick struct{ gen uint64 }

// getRecord asks for a copy of one record.
type getRecord struct {
	id    string
	reply chan result[Record]
}

// listRecords asks for copies of the records that match, oldest first, at
// most limit of them (limit <= 0: all).
type listRecords struct {
	match func(*Record) bool
	limit int
	reply chan []Record
}

// getStats asks for the counters.
type getStats struct{ reply chan Stats }

// changeRecord applies change to one record; change reports whether it
// changed anything.
type changeRecord struct {
	id     string
	at     time.Time
	change func(*Record) bool
	reply  chan result[bool]
}

// deleteRecord removes one record.
type deleteRecord struct {
	id    string
	reply chan error
}

// setFilter registers (or, with a nil fn, removes) a named filter.
type setFilter struct {
	name string
	fn   func(Record) bool
}

// getFilter asks for a named filter and copies of every record, oldest first.
type getFilter struct {
	name  string
	reply chan result[filterCall]
}

// setHandler registers (or, with a nil fn, removes) a named handler.
type setHandler struct {
	name string
	fn   func(Record) error
}

// getHandler asks for a named handler and a copy of one record.
type getHandler struct {
	name  string
	id    string
	reply chan result[handlerCall]
}

// setResender registers the function that resends a record's message.
type setResender struct {
	fn func(context.Context, Record) error
}

// prepareRetry checks that a record may be retried and reserves an attempt.
type prepareRetry struct {
	id    string
	at    time.Time
	reply chan result[retryCall]
}

// retryDone reports the outcome of the resend of attempt n.
type retryDone struct {
	id  string
	n   int
	err string
	at  time.Time
}

// addHook registers a hook; the recorder forwards it to the hook runner.
type addHook struct {
	kind hookKind
	fn   any
}

// Messages to the hook runner.

// hookEvent is one hook call to make: the fields used depend on kind.
type hookEvent struct {
	kind     hookKind
	rec      Record // a copy, taken when the recorder applied the event
	id       string // hookDeleted
	from, to Status // hookStatus
	n        int    // hookRetry
}

// Replies.

// result is a reply that may fail.
type result[T any] struct {
	val T
	err error
}

// filterCall is what FilterRecords needs to filter off the mailbox.
type filterCall struct {
	fn   func(Record) bool
	recs []Record
}

// handlerCall is what ExecuteHandler needs to run a handler off the mailbox.
type handlerCall struct {
	fn  func(Record) error
	rec Record
}

// retryCall is what RetryMessage needs to resend off the mailbox.
type retryCall struct {
	fn  func(context.Context, Record) error
	rec Record
	n   int
}
