package recordstore

import (
	"fmt"

	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/store"
)

// Store is a recorder.RecordStore over a store.Records.
type Store struct {
	recs map[string]*entry
	db   store.Records
	// slots is db when it follows each record in a slot (store.DB): then
	// each record's slot goes with it, sparing the store's writer an index
	// of every record by id.
	slots slotted
	// orphans are the slots of records on disk that did not decode: a
	// record made again under one of their ids takes its slot, so that the
	// new version replaces the old on disk as it did by id.
	orphans map[string]*store.RecordSlot
	// slab is where Put encodes: records are carved out of it one after
	// another, and a record's bytes are never written again once handed to
	// db, so a record costs no allocation of its own.
	slab []byte
	// entries are where Put takes a new record's entry from, for the same
	// reason: a block of them, handed out one after another (the writer
	// holds an entry's slot until the segment of its last change goes;
	// records go oldest first, so a block's entries go at about one time).
	entries []entry
	// absent is the id the last Get did not find, while no Put has come
	// since: the recorder looks a record up before it makes it, and Put
	// then needs no second lookup to know it is new (a map lookup a
	// message under bench/'s alone-p2p: 1.2% of wsc-server's CPU).
	absent string
}

// entryBlock is how many entries a block holds.
const entryBlock = 256

// slabSize is the size of a slab; a new one is taken when less than
// slabMin is left (a bigger record grows the slab as append does).
const (
	slabSize = 64 << 10
	slabMin  = 2 << 10
)

var _ recorder.RecordStore = (*Store)(nil)

// entry is a record and its slot: its own, or an orphan's; nil without
// slots.
type entry struct {
	rec  *recorder.Record
	slot *store.RecordSlot
	own  store.RecordSlot
}

// slotted is a store.Records that follows each record in a slot.
type slotted interface {
	PutRecordIn(slot *store.RecordSlot, id string, data []byte, err error)
	DeleteRecordIn(slot *store.RecordSlot, id string)
	LoadRecordSlots(fn func(id string, data []byte, slot *store.RecordSlot) bool) error
}

var _ slotted = (*store.DB)(nil)

// New loads the records db holds and returns the store over them. A record
// that does not decode is skipped and counted in skipped.
func New(db store.Records) (s *Store, skipped int, err error) {
	s = &Store{recs: map[string]*entry{}, db: db}
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
		s.recs[id] = &entry{rec: rec, slot: slot}
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

// Put implements recorder.RecordStore. The record is encoded here, on the
// recorder's goroutine, rather than copied (Record.Clone) for the writer to
// encode later: the copy of the message, the history and the maps cost
// about what the encoding does, and made garbage that the encoding into a
// slab does not. A record that changes again before its commit is encoded
// again; the writer writes the last.
func (s *Store) Put(rec *recorder.Record) {
	data, err := s.encode(rec)
	if s.slots == nil {
		s.recs[rec.ID] = &entry{rec: rec}
		s.db.PutRecord(rec.ID, func() ([]byte, error) { return data, err })
		return
	}
	var e *entry
	if rec.ID != s.absent {
		e = s.recs[rec.ID]
	}
	s.absent = ""
	if e == nil {
		e = s.newEntry()
		e.slot = &e.own
		if o := s.orphans[rec.ID]; o != nil {
			e.slot = o
			delete(s.orphans, rec.ID)
		}
		s.recs[rec.ID] = e
	}
	e.rec = rec
	s.slots.PutRecordIn(e.slot, rec.ID, data, err)
}

// newEntry is a new record's entry, zero.
func (s *Store) newEntry() *entry {
	if len(s.entries) == 0 {
		s.entries = make([]entry, entryBlock)
	}
	e := &s.entries[0]
	s.entries = s.entries[1:]
	return e
}

// encode appends rec's binary encoding to the slab and returns it.
func (s *Store) encode(rec *recorder.Record) ([]byte, error) {
	if cap(s.slab)-len(s.slab) < slabMin {
		s.slab = make([]byte, 0, slabSize)
	}
	start := len(s.slab)
	b, err := appendBinary(s.slab, rec)
	if err != nil {
		return nil, err // the slab as it was: what was appended is overwritten next
	}
	s.slab = b
	return b[start:len(b):len(b)], nil
}

// Get implements recorder.RecordStore.
func (s *Store) Get(id string) (*recorder.Record, bool) {
	if e := s.recs[id]; e != nil {
		return e.rec, true
	}
	s.absent = id
	return nil, false
}

// Delete implements recorder.RecordStore.
func (s *Store) Delete(id string) {
	e := s.recs[id]
	if e == nil {
		return
	}
	delete(s.recs, id)
	e.rec = nil // the slot stays with the writer until its segment goes: the record need not
	if s.slots != nil {
		s.slots.DeleteRecordIn(e.slot, id)
		return
	}
	s.db.DeleteRecord(id)
}

// Len implements recorder.RecordStore.
func (s *Store) Len() int { return len(s.recs) }

// Range implements recorder.RecordStore.
func (s *Store) Range(fn func(*recorder.Record) bool) {
	for _, e := range s.recs {
		if !fn(e.rec) {
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
