package recordstore

import (
	"fmt"

	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/store"
)

// Store is a recorder.RecordStore over a store.Records.
type Store struct {
	recs map[string]*recorder.Record
	db   store.Records
	// slots is db when it follows each record in a slot (store.DB): then
	// each record's slot goes with it (its StoreTag), sparing the store's
	// writer an index of every record by id, and this store a lookup by
	// id to find the slot when the recorder drops a record it holds
	// (DeleteHeld: one a message at the cap; the lookup's cache misses were
	// about as dear as -memory's whole delete).
	slots slotted
	// orphans are the slots of records on disk that did not decode: a
	// record made again under one of their ids takes its slot, so that the
	// new version replaces the old on disk as it did by id.
	orphans map[string]*store.RecordSlot
	// buf is where Put encodes, reused: the store's writer copies a
	// record's bytes when they are handed to it (PutRecordIn at once,
	// PutRecordChanges at Flush), so buf is empty again then and a record
	// costs no allocation of its own (a fresh 64 KiB slab, carved up until
	// full, was 116 bytes of garbage a record).
	buf []byte
	// free are where Put takes a new record's slot from, for the same
	// reason: a block of them, handed out one after another (the writer
	// holds a slot until the segment of its record's last change goes;
	// records go oldest first, so a block's slots go at about one time).
	free []store.RecordSlot
	// absent is the id the last Get did not find, while no Put has come
	// since: the recorder looks a record up before it makes it, and Put
	// then needs no second lookup to know it is new (a map lookup a
	// message under bench/'s alone-p2p: 1.2% of wsc-server's CPU).
	absent string
	// pend are the changes gathered since the last Flush, handed to slots
	// in one call (PutRecordChanges) rather than one each: a put and an
	// eviction's deletion for each message routed took the writer's queue
	// lock twice, and reserved its bytes once, a message. gather says a
	// caller flushes: until the first Flush each change goes at once.
	pend   []store.RecordChange
	gather bool
}

// maxPend is the most changes gathered before they go without a Flush.
const maxPend = 4096

// slotBlock is how many slots a block holds.
const slotBlock = 256

// bufKeep is the biggest buf kept for reuse: a burst's is let go.
const bufKeep = 1 << 20

var (
	_ recorder.RecordStore = (*Store)(nil)
	_ recorder.Flusher     = (*Store)(nil)
	_ recorder.HeldDeleter = (*Store)(nil)
)

// slotted is a store.Records that follows each record in a slot.
type slotted interface {
	PutRecordIn(slot *store.RecordSlot, id string, data []byte, err error)
	DeleteRecordIn(slot *store.RecordSlot, id string)
	PutRecordChanges(changes []store.RecordChange)
	LoadRecordSlots(fn func(id string, data []byte, slot *store.RecordSlot) bool) error
}

var _ slotted = (*store.DB)(nil)

// New loads the records db holds and returns the store over them. A record
// that does not decode is skipped and counted in skipped.
func New(db store.Records) (s *Store, skipped int, err error) {
	s = &Store{recs: map[string]*recorder.Record{}, db: db}
	load := func(id string, data []byte, slot *store.RecordSlot) bool {
		rec, err := decode(id, data)
		if err != nil || rec.ID != id {
			skipped++
			if slot != nil {
				if s.orphans == nil {
					s.orphans = map[string]*store.RecordSlot{}
				}
				s.orphans[id] = slot
			}
			return true
		}
		if slot != nil {
			rec.SetStoreTag(slot)
		}
		s.recs[id] = rec
		return true
	}
	if sl, ok := db.(slotted); ok {
		s.slots = sl
		err = sl.LoadRecordSlots(load)
	} else {
		err = db.LoadRecords(func(id string, data []byte) bool { return load(id, data, nil) })
	}
	if err != nil {
		return nil, 0, fmt.Errorf("wsc: loading the records: %w", err)
	}
	return s, skipped, nil
}

// slotOf is the slot of rec, a record this store holds; nil for one it
// does not (yet).
func slotOf(rec *recorder.Record) *store.RecordSlot {
	slot, _ := rec.StoreTag().(*store.RecordSlot)
	return slot
}

// Put implements recorder.RecordStore. The record is encoded here, on the
// recorder's goroutine, rather than copied (Record.Clone) for the writer to
// encode later: the copy of the message, the history and the maps cost
// about what the encoding does, and made garbage that the encoding into a
// reused buffer does not. A record that changes again before its commit is encoded
// again; the writer writes the last.
func (s *Store) Put(rec *recorder.Record) {
	data, err := s.encode(rec)
	if s.slots == nil {
		s.recs[rec.ID] = rec
		s.db.PutRecord(rec.ID, func() ([]byte, error) { return data, err })
		return
	}
	slot := slotOf(rec)
	if slot == nil { // not held: new, or another Record for an id held
		var old *recorder.Record
		if rec.ID != s.absent {
			old = s.recs[rec.ID]
		}
		switch {
		case old != nil:
			slot = slotOf(old)
			old.SetStoreTag(nil)
		case s.orphans[rec.ID] != nil:
			slot = s.orphans[rec.ID]
			delete(s.orphans, rec.ID)
		default:
			slot = s.newSlot()
		}
		rec.SetStoreTag(slot)
		s.recs[rec.ID] = rec
	}
	s.absent = ""
	if err != nil || !s.gather {
		s.slots.PutRecordIn(slot, rec.ID, data, err)
		if len(s.pend) == 0 { // copied: nothing gathered refers to buf
			s.buf = s.buf[:0]
		}
		return
	}
	s.change(store.RecordChange{Slot: slot, ID: rec.ID, Data: data})
}

// change gathers c for the next Flush.
func (s *Store) change(c store.RecordChange) {
	s.pend = append(s.pend, c)
	if len(s.pend) >= maxPend {
		s.Flush()
	}
}

// Flush implements recorder.Flusher: the changes gathered since the last
// Flush go to the store's writer, in order, in one call. The recorder
// flushes at the end of each message it handles, so nothing waits here
// between messages; from the first Flush on, Put and Delete gather.
func (s *Store) Flush() {
	s.gather = s.slots != nil
	if len(s.pend) == 0 {
		return
	}
	s.slots.PutRecordChanges(s.pend)
	clear(s.pend)
	s.pend = s.pend[:0]
	s.buf = s.buf[:0] // the changes' bytes were copied
	if cap(s.buf) > bufKeep {
		s.buf = nil
	}
}

// newSlot is a new record's slot, zero.
func (s *Store) newSlot() *store.RecordSlot {
	if len(s.free) == 0 {
		s.free = make([]store.RecordSlot, slotBlock)
	}
	slot := &s.free[0]
	s.free = s.free[1:]
	return slot
}

// encode appends rec's binary encoding to buf and returns it; without
// slots, bytes of their own (PutRecord's encode runs later, on the
// writer).
func (s *Store) encode(rec *recorder.Record) ([]byte, error) {
	if s.slots == nil {
		return appendBinary(nil, rec)
	}
	start := len(s.buf)
	b, err := appendBinary(s.buf, rec)
	if err != nil {
		return nil, err // buf as it was: what was appended is overwritten next
	}
	s.buf = b
	return b[start:len(b):len(b)], nil
}

// Get implements recorder.RecordStore.
func (s *Store) Get(id string) (*recorder.Record, bool) {
	if rec := s.recs[id]; rec != nil {
		return rec, true
	}
	s.absent = id
	return nil, false
}

// Delete implements recorder.RecordStore.
func (s *Store) Delete(id string) {
	if rec := s.recs[id]; rec != nil {
		s.DeleteHeld(rec)
	}
}

// DeleteHeld implements recorder.HeldDeleter: rec's slot is its tag, so
// the record needs no lookup by id. The slot stays with the writer until
// its segment goes; the record is let go.
func (s *Store) DeleteHeld(rec *recorder.Record) {
	id := rec.ID
	if s.slots == nil {
		delete(s.recs, id)
		s.db.DeleteRecord(id)
		return
	}
	// a tagged record is the one held under its id: the tag is set when a
	// record goes into recs and cleared when it leaves, and a held
	// record's id never changes
	slot := slotOf(rec)
	if slot == nil { // not a record this store holds
		return
	}
	delete(s.recs, id)
	rec.SetStoreTag(nil)
	if s.gather {
		s.change(store.RecordChange{Slot: slot, ID: id})
		return
	}
	s.slots.DeleteRecordIn(slot, id)
}

// Len implements recorder.RecordStore.
func (s *Store) Len() int { return len(s.recs) }

// Range implements recorder.RecordStore.
func (s *Store) Range(fn func(*recorder.Record) bool) {
	for _, rec := range s.recs {
		if !fn(rec) {
			return
		}
	}
}

// decode reads the record id as Put writes it (binary.go), or as it was
// written before that, in JSON (wire.go).
func decode(id string, data []byte) (*recorder.Record, error) {
	if len(data) > 0 && isBinary(data[0]) {
		return decodeBinary(id, data)
	}
	return decodeJSON(data)
}
