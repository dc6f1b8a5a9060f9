package recorder

import (
	"time"

	"github.com/go-wsc/go-wsc/protocol"
)

// Batch gathers record events and sends them to the recorder as one actor
// message, for a caller on the hot path (the hub) that produces several per
// mailbox turn: one Send for the lot instead of one per status change, and no
// allocation at all once the batch has warmed up (see below).
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
//
// Reuse: events are kept by value in the sent message's slice, and the
// recorder, once it has applied them, empties the message and hands it back
// on the batch's spare channel (a non-blocking send: a full channel drops it
// to the garbage collector), where the next Flush takes it. Every message
// goes to the garbage in the actor's mailbox otherwise: one allocation per
// flush and its slice (65-120 bytes a message under the in-process load).
// The recorder builds each record itself, from a record it evicted
// (recycle.go), so an event costs no allocation of its own either.
type Batch struct {
	r     *Recorder
	cur   *eventBatch      // what is being gathered; nil until the first event
	spare chan *eventBatch // batches the recorder applied and gave back
	last  int              // the length of the last batch sent: a new one's capacity
	clock func() time.Time // stamps the events: time.Now unless UseClock
}

// spareBatches is how many applied batches wait for reuse: about the most a
// hub has in the recorder's mailbox at once when the recorder keeps up.
const spareBatches = 16

// maxSpareEvents bounds the slice a batch given back may keep: a burst must
// not leave big slices in circulation.
const maxSpareEvents = 256

// eventBatch carries several events in one message (Batch.Flush), applied in
// order as if each had been sent alone; then it goes back to its batch.
type eventBatch struct {
	events []batchEvent
	back   chan<- *eventBatch
}

// batchEvent is one event: create (kind accepted), a status change, or a
// retry attempt. It is sent alone (a pointer to it) by Accepted and Created,
// and by value in an eventBatch.
type batchEvent struct {
	kind   batchKind
	msg    *protocol.Message // batchAccepted: kept as it is
	id     string            // batchStatus, batchAttempt (msg.ID for batchAccepted)
	user   string            // batchAccepted
	ticket string            // batchAccepted
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
func (r *Recorder) NewBatch() *Batch {
	return &Batch{r: r, spare: make(chan *eventBatch, spareBatches), clock: time.Now}
}

// UseClock makes the batch stamp its events with now() instead of time.Now,
// for a caller that reads the clock once per mailbox turn (the hub: a
// message's record then starts at the message's own CreateAt, and the VM's
// clock, about 90 ns a read here, is read once per turn, not once more per
// event). now runs on the batch's goroutine.
func (b *Batch) UseClock(now func() time.Time) { b.clock = now }

// Len is the number of events gathered and not yet flushed.
func (b *Batch) Len() int {
	if b.cur == nil {
		return 0
	}
	return len(b.cur.events)
}

// add appends e to the batch being gathered, taking a spare one (or a new
// one) when there is none.
func (b *Batch) add(e batchEvent) {
	if b.cur == nil {
		select {
		case b.cur = <-b.spare:
		default: // none back yet (the recorder is behind): a new one, as big as the last
			b.cur = &eventBatch{events: make([]batchEvent, 0, min(max(b.last, 8), maxSpareEvents)), back: b.spare}
		}
	}
	b.cur.events = append(b.cur.events, e)
}

// Accepted is Recorder.Accepted, gathered (msg is kept without a copy).
func (b *Batch) Accepted(msg *protocol.Message, userID, ticketID string, s Status, reason Reason) {
	if msg == nil || !b.r.live() {
		return
	}
	b.add(batchEvent{kind: batchAccepted, msg: msg, user: userID, ticket: ticketID, status: s, reason: reason, at: b.clock()})
}

// Status is Recorder.Status, gathered.
func (b *Batch) Status(id string, s Status, reason Reason, errText string) {
	if !b.r.live() {
		return
	}
	b.add(batchEvent{kind: batchStatus, id: id, status: s, reason: reason, err: errText, at: b.clock()})
}

// RetryAttempt is Recorder.RetryAttempt, gathered.
func (b *Batch) RetryAttempt(id string, n int, errText string) {
	if !b.r.live() {
		return
	}
	b.add(batchEvent{kind: batchAttempt, id: id, n: n, err: errText, at: b.clock()})
}

// Flush sends the gathered events as one message and empties the batch.
func (b *Batch) Flush() {
	m := b.cur
	if m == nil || len(m.events) == 0 {
		return
	}
	if !b.r.live() {
		m.reset()
		return
	}
	b.cur, b.last = nil, len(m.events) // the recorder owns it now, until it gives it back
	b.r.root.Send(b.r.pid, m)
}

// reset empties m, dropping its pointers (messages, strings) so that a spare
// batch keeps nothing alive.
func (m *eventBatch) reset() {
	clear(m.events)
	m.events = m.events[:0]
}

// giveBack empties m and returns it to its batch, if the batch has room
// (on the recorder's mailbox, after applying it).
func (m *eventBatch) giveBack() {
	if m.back == nil || cap(m.events) > maxSpareEvents {
		return
	}
	m.reset()
	select {
	case m.back <- m:
	default:
	}
}

// applyBatch applies the events of one batch in order (on the mailbox), then
// gives the batch back.
func (a *recorderActor) applyBatch(m *eventBatch) {
	for i := range m.events {
		a.applyEvent(&m.events[i])
	}
	m.giveBack()
}

// applyEvent applies one event.
func (a *recorderActor) applyEvent(e *batchEvent) {
	switch e.kind {
	case batchAccepted:
		a.create(e)
	case batchStatus:
		a.setStatus(e.id, e.status, e.reason, e.err, e.at)
	case batchAttempt:
		a.addAttempt(e.id, e.n, e.err, e.at)
	}
}
