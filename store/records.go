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
// the writer keeps the last change of each record (its slot marks it).

// recordGuess is what a queued record counts against MaxQueueBytes before
// it is encoded.
const recordGuess = 512

// recChange is one PutRecord (encode set), PutRecordIn (data or err set)
// or DeleteRecord (neither); slot is nil for the id-keyed methods (the
// writer finds it by id).
type recChange struct {
	id     string
	slot   *RecordSlot
	encode func() ([]byte, error)
	data   []byte
	err    error
	put    bool
}

// recQueue holds the record changes the writer has not taken yet.
type recQueue struct {
	mu      sync.Mutex
	changes []recChange // guarded by mu
	puts    int64       // guarded by mu: puts in changes (each reserved recordGuess bytes of the writer's)
	carried bool        // guarded by mu: an op that takes changes is in the writer's queue
	// spare is the slice changes had before the last take, emptied: the
	// next take hands it back (writer goroutine only).
	spare []recChange
}

// PutRecord implements Records.
func (d *DB) PutRecord(id string, encode func() ([]byte, error)) {
	if encode == nil {
		d.recordErrors.Add(1)
		return
	}
	d.putRecord(recChange{id: id, encode: encode, put: true})
}

// DeleteRecord implements Records.
func (d *DB) DeleteRecord(id string) { d.DeleteRecordIn(nil, id) }

// PutRecordIn writes the record id, encoded as data (kept until written:
// never changed after), or counts err as a record that could not be
// encoded. slot is the record's: the one LoadRecordSlots handed out, or a
// new one (a zero RecordSlot) for a record not on disk; the caller keeps it
// with the record, for its next change and its deletion. Slots spare the
// writer an index of every record by id (a lookup and an insert or a
// delete for each record made and each evicted: 3.7% of wsc-server's CPU
// under alone-p2p). A slot is for one record: a record deleted and made
// again takes a new one.
func (d *DB) PutRecordIn(slot *RecordSlot, id string, data []byte, err error) {
	d.putRecord(recChange{id: id, slot: slot, data: data, err: err, put: true})
}

func (d *DB) putRecord(c recChange) {
	id := c.id
	if d.check("record id", id) != nil {
		d.recordErrors.Add(1)
		return
	}
	if d.w.reserve(outRecords, recordGuess) != nil { // the writer is too far behind
		d.recordErrors.Add(1)
		return
	}
	q := &d.recs
	q.mu.Lock()
	q.changes = append(q.changes, c)
	q.puts++
	d.carry(q)
}

// DeleteRecordIn is DeleteRecord for the record of slot (nil: by id).
func (d *DB) DeleteRecordIn(slot *RecordSlot, id string) {
	if d.check("record id", id) != nil {
		return
	}
	q := &d.recs
	q.mu.Lock()
	q.changes = append(q.changes, recChange{id: id, slot: slot})
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
		d.w.release(outRecords, n*recordGuess)
		d.recordErrors.Add(n)
	}
}

// takeRecords is the carrier op's apply: it takes every change queued and
// adds the last of each record (of each slot: a record deleted and made
// again has two) to the log's segment of this commit.
func (d *DB) takeRecords(Tx) error {
	q := &d.recs
	q.mu.Lock()
	changes, puts := q.changes, q.puts
	q.changes, q.puts, q.carried = q.spare, 0, false
	q.mu.Unlock()
	d.w.release(outRecords, puts*recordGuess)
	// the last change of each slot is written: a slot marks its last change
	for i := range changes {
		c := &changes[i]
		if c.slot == nil {
			c.slot = d.rlog.slotOf(c.id)
		}
		c.slot.last = i
	}
	for i, c := range changes {
		if c.slot.last != i {
			continue
		}
		if !c.put {
			d.rlog.add(c.id, c.slot, nil, false)
			continue
		}
		data, err := c.data, c.err
		if c.encode != nil {
			data, err = c.encode()
		}
		if err != nil { // this record only: the others in the commit go on
			d.recordErrors.Add(1)
			continue
		}
		d.rlog.add(c.id, c.slot, data, true)
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
	return d.loadRecords(false, func(id string, data []byte, _ *RecordSlot) bool { return fn(id, data) })
}

// LoadRecordSlots is LoadRecords with each record's slot, for PutRecordIn
// and DeleteRecordIn. The caller then owns the slots of the records on
// disk, and changes them through those methods only: after it, PutRecord
// or DeleteRecord of an id loaded here would not find its slot.
func (d *DB) LoadRecordSlots(fn func(id string, data []byte, slot *RecordSlot) bool) error {
	return d.loadRecords(true, fn)
}

func (d *DB) loadRecords(handOut bool, fn func(id string, data []byte, slot *RecordSlot) bool) error {
	return d.w.wait(func(tx Tx) error {
		if err := d.rlog.load(tx); err != nil {
			return err
		}
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
			if !fn(id, append([]byte(nil), recs[id]...), d.rlog.slotOf(id)) {
				break
			}
		}
		if handOut {
			d.rlog.byID = nil
		}
		return nil
	})
}
