package recorder

import (
	"time"

	"github.com/go-wsc/go-wsc/protocol"
)

// Batch gathers record events and sends them to the recorder as one actor
// message, for a caller on the hot path (the hub) that produces several per
// mailbox turn: one Send and one allocation for the lot instead of one of
// each per status change.
//
// Contract:
//   - A Batch belongs to one goroutine (the hub's mailbox); it is not safe
//     for concurrent use. Make one with Recorder.NewBatch and keep it.
//   - Accepted, Status and RetryAttempt mean what the Recorder methods of the
//     same names mean, and are timestamped when called. Nothing reaches the
//     recorder until Flush, which sends the events gathered so far, in order,
//     and empties the batch (the recorder then owns the sent events).
//   - Flush the batch at the end of each mailbox turn that added events (for
//     the hub: before its Receive returns, or when it has nothing queued), so
//     that a query answers with what happened before it; events of one batch
//     and single events sent from the same goroutine are applied in the order
//     sent.
//   - On a disabled or stopping recorder (or a nil *Recorder) every method is
//     a no-op; Flush drops what was gathered.
type Batch struct {
	r      *Recorder
	events []batchEvent
}

// batchEvent is one event of a Batch: create (kind accepted), a status change,
// or a retry attempt.
type batchEvent struct {
	kind   batchKind
	create *createRecord // batchAccepted: the record, kept as it is
	id     string
	status Status
	reason Reason
	err    string
	n      int
	at     time.Time
}

type batchKind uint8

const (
	batchAccepted batchKind = iota
	batchStatus
	batchAttempt
)

// NewBatch returns an empty batch for r.
func (r *Recorder) NewBatch() *Batch { return &Batch{r: r} }

// Len is the number of events gathered and not yet flushed.
func (b *Batch) Len() int { return len(b.events) }

// Accepted is Recorder.Accepted, gathered (msg is kept without a copy).
func (b *Batch) Accepted(msg *protocol.Message, userID, ticketID string, s Status, reason Reason) {
	if msg == nil || !b.r.live() {
		return
	}
	b.events = append(b.events, batchEvent{kind: batchAccepted, create: b.r.newRecord(msg, userID, ticketID, s, reason, time.Now())})
}

// Status is Recorder.Status, gathered.
func (b *Batch) Status(id string, s Status, reason Reason, errText string) {
	if !b.r.live() {
		return
	}
	b.events = append(b.events, batchEvent{kind: batchStatus, id: id, status: s, reason: reason, err: errText, at: time.Now()})
}

// RetryAttempt is Recorder.RetryAttempt, gathered.
func (b *Batch) RetryAttempt(id string, n int, errText string) {
	if !b.r.live() {
		return
	}
	b.events = append(b.events, batchEvent{kind: batchAttempt, id: id, n: n, err: errText, at: time.Now()})
}

// Flush sends the gathered events as one message and empties the batch.
func (b *Batch) Flush() {
	if len(b.events) == 0 {
		return
	}
	if !b.r.live() {
		clear(b.events)
		b.events = b.events[:0]
		return
	}
	if len(b.events) == 1 { // a quiet moment: the event goes as the plain one it is, the slice stays
		b.r.root.Send(b.r.pid, b.events[0].single())
		b.events[0] = batchEvent{}
		b.events = b.events[:0]
		return
	}
	events := b.events
	// the recorder owns the sent slice now; the next one starts at this one's
	// length (not its capacity: one burst must not make every later flush big)
	b.events = make([]batchEvent, 0, len(events))
	b.r.root.Send(b.r.pid, &eventBatch{events: events})
}

// single is the event as the message the Recorder method of the same name
// sends.
func (e *batchEvent) single() any {
	switch e.kind {
	case batchAccepted:
		return e.create
	case batchStatus:
		return &statusEvent{id: e.id, status: e.status, reason: e.reason, err: e.err, at: e.at}
	default:
		return &attemptEvent{id: e.id, n: e.n, err: e.err, at: e.at}
	}
}

// applyBatch applies the events of one batch in order (on the mailbox).
func (a *recorderActor) applyBatch(m *eventBatch) {
	for i := range m.events {
		e := &m.events[i]
		switch e.kind {
		case batchAccepted:
			a.create(e.create)
		case batchStatus:
			a.setStatus(e.id, e.status, e.reason, e.err, e.at)
		case batchAttempt:
			a.addAttempt(e.id, e.n, e.err, e.at)
		}
	}
}
