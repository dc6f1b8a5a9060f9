package store

import (
	"slices"
	"sync"
)

// Records on disk: a log of segments (reclog.go). Written behind: a crash
// loses at most the last FlushInterval of changes.
//
// Every message makes a record and evicts an older one, so PutRecord and
// DeleteRecord are on the path every message takes on a durable server.
// They do not queue an op each: they append to recQueue, and one op in the
// writer's queue (lazy, like every record write) takes everything queued
// when the writer applies it. That spares an op, a closure and a queue entry
// per record and per deletion, and the per-commit map that coalesced them:
// the writer keeps the last change of each id (reclast.go).

// recordGuess is what a queued record counts against MaxQueueBytes before
// it is encoded.
const recordGuess = 512

// recChange is one PutRecord (encode set) or DeleteRecord (encode nil).
type recChange struct {
	id     string
	encode func() ([]byte, error)
}

// recQueue holds the record changes the writer has not taken yet.
type recQueue struct {
	mu      sync.Mutex
	changes []recChange // guarded by mu
	puts    int64       // guarded by mu: puts in changes (each reserved recordGuess bytes of the writer's)
	carried bool        // guarded by mu: an op that takes changes is in the writer's queue
	// spare is the slice changes had before the last take, emptied: the
	// next take hands it back (writer goroutine only, like last).
	spare []recChange
	last  lastChanges
}

// PutRecord implements Records.
func (d *DB) PutRecord(id string, encode func() ([]byte, error)) {
	if d.check("record id", id) != nil || encode == nil {
		d.recordErrors.Add(1)
		return
	}
	if d.w.reserve(recordGuess) != nil { // the writer is too far behind
		d.recordErrors.Add(1)
		return
	}
	q := &d.recs
	q.mu.Lock()
	q.changes = append(q.changes, recChange{id, encode})
	q.puts++
	d.carry(q)
}

// DeleteRecord implements Records.
func (d *DB) DeleteRecord(id string) {
	if d.check("record id", id) != nil {
		return
	}
	q := &d.recs
	q.mu.Lock()
	q.changes = append(q.changes, recChange{id: id})
	d.carry(q)
}

// carry queues the op that takes the changes, unless one is queued; it is
// called with q.mu held and unlocks it.
func (d *DB) carry(q *recQueue) {
	if q.carried {
		q.mu.Unlock()
		return
	}
	q.carried = true
	q.mu.Unlock()
	if err := d.w.enqueue(&op{lazy: true, apply: d.takeRecords}); err != nil { // closed
		q.mu.Lock()
		n := q.puts
		clear(q.changes)
		q.changes, q.puts, q.carried = q.changes[:0], 0, false
		q.mu.Unlock()
		d.w.release(n * recordGuess)
		d.recordErrors.Add(n)
	}
}

// takeRecords is the carrier op's apply: it takes every change queued and
// adds the last of each id to the log's segment of this commit.
func (d *DB) takeRecords(Tx) error {
	q := &d.recs
	q.mu.Lock()
	changes, puts := q.changes, q.puts
	q.changes, q.puts, q.carried = q.spare, 0, false
	q.mu.Unlock()
	d.w.release(puts * recordGuess)
	q.last.mark(changes)
	for i, c := range changes {
		if !q.last.isLast(changes, i) {
			continue
		}
		if c.encode == nil {
			d.rlog.add(c.id, nil, false)
			continue
		}
		data, err := c.encode()
		if err != nil { // this record only: the others in the commit go on
			d.recordErrors.Add(1)
			continue
		}
		d.rlog.add(c.id, data, true)
	}
	clear(changes)
	q.spare = changes[:0]
	return nil
}

// queuedRecords is how many record changes wait beyond the ops queued (for
// Stats: each counts as an op, the carrier op does not).
func (d *DB) queuedRecords() int64 {
	q := &d.recs
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.carried {
		return 0
	}
	return int64(len(q.changes)) - 1
}

// LoadRecords implements Records: the log read in order, the records it
// leaves handed out in id order.
func (d *DB) LoadRecords(fn func(id string, data []byte) bool) error {
	return d.w.wait(func(tx Tx) error {
		if err := d.rlog.flush(tx); err != nil { // the records queued before it
			return err
		}
		recs := map[string][]byte{}
		err := scanRecords(tx, func(uint64, bool, []byte) {}, func(id, data, _ []byte, put bool) {
			if put {
				recs[string(id)] = data // the transaction's bytes, copied below
			} else {
				delete(recs, string(id))
			}
		})
		if err != nil {
			return err
		}
		ids := make([]string, 0, len(recs))
		for id := range recs {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			if !fn(id, append([]byte(nil), recs[id]...)) {
				break
			}
		}
		return nil
	})
}
