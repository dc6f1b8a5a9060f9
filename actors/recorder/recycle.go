package recorder

// Records are recycled: the record MaxRecords evicts (or retention or
// DeleteRecord removes) becomes the next record created, its inline history
// included, so that a recorder at its cap allocates nothing per message.
// The record of every message (480 bytes with its history) and the batch
// message that carried it were about 30% of the bytes the in-process load
// allocated per message (BenchmarkSendToUserPID, records on: 1900 B/op
// against 1290 with records off), and the garbage collector they fed was
// most of the evenly paced p99 (bench/NOTES.md, session 6).
//
// Who may hold a record's pointer, and why reuse is safe:
//   - the store, until Delete (RecordStore's contract: after Delete it holds
//     no pointer to the record; store/recordstore drops its entry);
//   - the order, until remove (its slot is cleared);
//   - nobody else: queries, hooks, filters, handlers and the resender get
//     Clones, whose slices and maps are fresh, taken on the mailbox before
//     the record can be removed.
//
// drop recycles a record last, after both let go of it.

// maxFree bounds the records kept for reuse: at the cap, one is evicted for
// each created, so a few suffice; a retention clean-up that removes
// thousands must not keep them all.
const maxFree = 64

// recordBox is a record and room for its usual history (pending, sending,
// then success or a failure) in one allocation.
type recordBox struct {
	rec     Record
	history [3]Transition
}

// newRecord builds the record of event e (Accepted, Created), from a
// recycled record when there is one: pending, then e.status when that is not
// pending.
func (a *recorderActor) newRecord(e *batchEvent) *Record {
	var rec *Record
	if n := len(a.free); n > 0 {
		rec = a.free[n-1]
		a.free[n-1] = nil
		a.free = a.free[:n-1]
		rec.pooled = false
	} else {
		box := new(recordBox)
		rec = &box.rec
		rec.History = box.history[:0:len(box.history)]
	}
	rec.ID, rec.Message, rec.UserID, rec.TicketID, rec.NodeID = e.msg.ID, e.msg, e.user, e.ticket, a.cfg.NodeID
	rec.Status, rec.Reason = e.status, e.reason
	rec.CreatedAt, rec.UpdatedAt = e.at, e.at
	rec.History = append(rec.History, Transition{To: StatusPending, At: e.at})
	if e.status != StatusPending {
		rec.History = append(rec.History, Transition{From: StatusPending, To: e.status, Reason: e.reason, At: e.at})
	}
	return rec
}

// recycle keeps rec for a next record, emptied: nothing it pointed to (the
// message, maps, strings) is kept alive by it. Its history's backing array
// stays, the point of recycling.
// A record already in the free list is left there: recycled twice, it would
// come out twice, two live records in one.
func (a *recorderActor) recycle(rec *Record) {
	if rec.pooled || len(a.free) >= maxFree {
		return
	}
	h := rec.History[:0]
	clear(h[:cap(h)])
	*rec = Record{History: h, pooled: true}
	a.free = append(a.free, rec)
}
