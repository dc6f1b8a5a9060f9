package hub

import (
	"time"

	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// recBatchMax bounds the record events gathered before they go to the
// recorder, so that a hub that never runs out of work still reports within a
// few dozen messages.
const recBatchMax = 64

// recLinger is how long gathered events wait for company once the mailbox
// has nothing queued. At a moderate rate (bench/'s alone-paced: 20,000
// messages a second, each alone in its turn) sending them at the end of every
// turn woke the recorder's goroutine once a message; a millisecond gathers a
// few dozen, and a record still settles within it.
const recLinger = time.Millisecond

// recs is how the hub's mailbox tells the recorder what happened: one event
// per call, as the Recorder does, on turns where somebody may look at the
// records right after (a reply, an ack, a query); gathered in a
// recorder.Batch on the hot path (lazy turns: routed frames and sends that
// nobody waits on), sent as one message when the mailbox has nothing queued or
// recBatchMax events have gathered, or recLinger after the mailbox was found
// empty (a recFlush, sent by the hub's timer, is an eager turn: it flushes).
// A query asked after a lazy turn may come a moment before its events:
// records are settled, not synchronous, for fire-and-forget sends.
//
// Order: every event goes through the hub's mailbox in the order it happens;
// gathered events are flushed before any direct one (the start of an eager
// turn) and before the hub hands a message to the ack tracker, whose outcomes
// reach the recorder from the tracker's own mailbox.
type recs struct {
	rec   *recorder.Recorder
	batch *recorder.Batch
	lazy  bool // this turn gathers
	// queued says how many messages wait in the hub's mailbox (nil: unknown,
	// flush at the end of every turn).
	queued func() int
	// linger arms the timer that sends the hub a recFlush in recLinger (nil:
	// no timer, flush once the mailbox is empty); armed: it is on its way.
	linger func()
	armed  bool
}

// recFlush is the linger timer's event: an eager turn, whose begin sends
// what lazy turns gathered.
type recFlush struct{}

func newRecs(rec *recorder.Recorder, queued func() int) *recs {
	return &recs{rec: rec, batch: rec.NewBatch(), queued: queued}
}

// begin starts a mailbox turn: lazy for the hot path; an eager turn first
// sends what lazy turns gathered.
func (r *recs) begin(lazy bool) {
	if !lazy {
		r.batch.Flush()
	}
	r.lazy = lazy
}

// end closes a turn: what was gathered goes once nothing more is queued, or
// once there is enough of it.
func (r *recs) end() {
	if r.batch.Len() == 0 {
		return
	}
	switch {
	case !r.lazy || r.batch.Len() >= recBatchMax || r.queued == nil:
		r.batch.Flush()
	case r.queued() > 0: // the next turns come at once: they gather too
	case r.linger == nil:
		r.batch.Flush()
	case !r.armed:
		r.armed = true
		r.linger()
	}
}

// lingered is the recFlush turn (begin flushed): the next gathering arms
// the timer again.
func (r *recs) lingered() { r.armed = false }

// flush sends what was gathered now (before a message to the ack tracker, and
// as the hub stops).
func (r *recs) flush() { r.batch.Flush() }

// Accepted is recorder.Recorder.Accepted.
func (r *recs) Accepted(m *protocol.Message, userID, ticketID string, s recorder.Status, reason recorder.Reason) {
	if r.lazy {
		r.batch.Accepted(m, userID, ticketID, s, reason)
		return
	}
	r.rec.Accepted(m, userID, ticketID, s, reason)
}

// Status is recorder.Recorder.Status.
func (r *recs) Status(id string, s recorder.Status, reason recorder.Reason, errText string) {
	if r.lazy {
		r.batch.Status(id, s, reason, errText)
		return
	}
	r.rec.Status(id, s, reason, errText)
}

// RetryAttempt is recorder.Recorder.RetryAttempt.
func (r *recs) RetryAttempt(id string, n int, errText string) {
	if r.lazy {
		r.batch.RetryAttempt(id, n, errText)
		return
	}
	r.rec.RetryAttempt(id, n, errText)
}

// lazyTurn says whether a message's turn may gather its record events: a
// routed client frame, or a send from the application that asks for no reply.
func lazyTurn(msg any) bool {
	switch m := msg.(type) {
	case *session.Inbound, *ticketPart, *bcastPart:
		return true
	case *SendToUser:
		return m.Reply == nil
	case *SendToTicket:
		return m.Reply == nil && m.AckStarted == nil
	case *Broadcast:
		return m.Reply == nil
	}
	return false
}
