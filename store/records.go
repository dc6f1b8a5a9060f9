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

// recChange is one PutRecord (encode set), PutRecordIn or
// PutRecordChanges (its bytes in the queue's data), or DeleteRecord
// (neither); slot is nil for the id-keyed methods (the writer finds it by
// id).
type recChange struct {
	slot   *RecordSlot
	id     string
	off, n int // a put's bytes: data[off:off+n] of the queue it was in
	encode func() ([]byte, error)
	put    bool
}

// RecordChange is one change of a record for PutRecordChanges: its slot
// (as PutRecordIn takes it), its id, and its encoding for a put or nil for
// a deletion.
type RecordChange struct {
	Slot *RecordSlot
	ID   string
	Data []byte
}

// recQueue holds the record changes the writer has not taken yet.
type recQueue struct {
	mu      sync.Mutex
	changes []recChange // guarded by mu
	// data holds the bytes of the puts in changes, copied in: the caller's
	// buffer is its own again at once (recordstore encodes every record
	// into one buffer, reused, where a fresh slab every 64 KiB was a
	// twentieth of what a durable server allocated under alone-p2p).
	data    []byte // guarded by mu
	puts    int64  // guarded by mu: puts in changes (each reserved recordGuess bytes of the writer's)
	carried bool   // guarded by mu: an op that takes changes is in the writer's queue
	// spare is the slice changes had before the last take, emptied: the
	// next take hands it back (writer goroutine only). spareData is the
	// data of the take before the last, once its transaction has ended
	// (the log's segment holds slices of it until then), and taken the
	// last take's.
	spare            []recChange
	spareData, taken []byte
}

// recDataKeep is the biggest data slice kept for the next take: a burst's
// is let go.
const recDataKeep = 4 << 20

// PutRecord implements Records.
func (d *DB) PutRecord(id string, encode func() ([]byte, error)) {
	if encode == nil {
		d.recordErrors.Add(1)
		return
	}
	d.putRecord(recChange{id: id, encode: encode, put: true}, nil)
}

// DeleteRecord implements Records.
func (d *DB) DeleteRecord(id string) { d.DeleteRecordIn(nil, id) }

// PutRecordIn writes the record id, encoded as data (kept until written:
// never changed after), or counts err (or no data) as a record that could
// not be encoded: then nothing is queued. slot is the record's: the one
// LoadRecordSlots handed out, or a new one (a zero RecordSlot) for a
// record not on disk; the caller keeps it with the record, for its next
// change and its deletion. Slots spare the writer an index of every
// record by id (a lookup and an insert or a delete for each record made
// and each evicted: 3.7% of wsc-server's CPU under alone-p2p). A slot is
// for one record: a record deleted and made again takes a new one.
func (d *DB) PutRecordIn(slot *RecordSlot, id string, data []byte, err error) {
	if err != nil || data == nil {
		d.recordErrors.Add(1)
		return
	}
	d.putRecord(recChange{slot: slot, id: id, put: true}, data)
}

// putRecord queues c, a put, with data (nil for PutRecord's).
func (d *DB) putRecord(c recChange, data []byte) {
	if d.check("record id", c.id) != nil {
		d.recordErrors.Add(1)
		return
	}
	if d.w.reserve(outRecords, recordGuess) != nil { // the writer is too far behind
		d.recordErrors.Add(1)
		return
	}
	q := &d.recs
	q.mu.Lock()
	if data != nil {
		c.off, c.n = len(q.data), len(data)
		q.data = append(q.data, data...)
	}
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
	q.changes = append(q.changes, recChange{slot: slot, id: id})
	d.carry(q)
}

// PutRecordChanges queues changes, in order, as PutRecordIn (Data set)
// and DeleteRecordIn (Data nil) would one by one, with one lock and one
// reservation for all: the recorder's store gathers a mailbox message's
// changes (a put and an eviction's deletion for each message routed) and
// hands them over at its end. Past MaxQueueBytes the puts are refused
// (counted as record errors) and the deletions queued. The data is copied:
// the caller may reuse the slice and the bytes once it returns.
func (d *DB) PutRecordChanges(changes []RecordChange) {
	if len(changes) == 0 {
		return
	}
	puts := int64(0)
	for i := range changes {
		if changes[i].Data != nil && d.check("record id", changes[i].ID) == nil {
			puts++
		}
	}
	refused := puts > 0 && d.w.reserve(outRecords, puts*recordGuess) != nil
	if refused { // the writer is too far behind
		d.recordErrors.Add(puts)
	}
	q := &d.recs
	q.mu.Lock()
	for _, c := range changes {
		if d.check("record id", c.ID) != nil {
			if c.Data != nil {
				d.recordErrors.Add(1)
			}
			continue
		}
		rc := recChange{slot: c.Slot, id: c.ID, put: c.Data != nil}
		if rc.put {
			if refused {
				continue
			}
			rc.off, rc.n = len(q.data), len(c.Data)
			q.data = append(q.data, c.Data...)
		}
		q.changes = append(q.changes, rc)
	}
	if !refused {
		q.puts += puts
	}
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
		q.changes, q.data, q.puts, q.carried = q.changes[:0], q.data[:0], 0, false
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
	changes, data, puts := q.changes, q.data, q.puts
	q.changes, q.data, q.puts, q.carried = q.spare, q.spareData, 0, false
	q.mu.Unlock()
	q.spareData = nil
	if q.taken == nil { // (two takes in one transaction: the second's data goes to the GC)
		q.taken = data
	}
	d.w.release(outRecords, puts*recordGuess)
	// the last change of each slot is written: a slot marks its last change
	for i := range changes {
		c := &changes[i]
		if c.slot == nil {
			c.slot = d.rlog.slotOf(c.id)
		}
		c.slot.last = i
	}
	for i := range changes {
		c := &changes[i]
		if c.slot.last != i {
			continue
		}
		if !c.put {
			d.rlog.add(c.id, c.slot, nil, false)
			continue
		}
		b, err := data[c.off:c.off+c.n:c.off+c.n], error(nil) // the segment's until the transaction ends
		if c.encode != nil {
			b, err = c.encode()
		}
		if err != nil { // this record only: the others in the commit go on
			d.recordErrors.Add(1)
			continue
		}
		d.rlog.add(c.id, c.slot, b, true)
	}
	clear(changes)
	q.spare = changes[:0]
	return nil
}

// recordsEnded is the end of a transaction for the records' queue: the
// data of its take is free for the next (writer goroutine only).
func (d *DB) recordsEnded() {
	q := &d.recs
	if q.taken != nil && cap(q.taken) <= recDataKeep {
		q.spareData = q.taken[:0]
	}
	q.taken = nil
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
