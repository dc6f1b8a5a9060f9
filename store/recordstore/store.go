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
	// slab is where Put encodes: records are carved out of it one after
	// another, and a record's bytes are never written again once handed to
	// db, so a record costs no allocation of its own.
	slab []byte
}

// slabSize is the size of a slab; a new one is taken when less than
// slabMin is left (a bigger record grows the slab as append does).
const (
	slabSize = 64 << 10
	slabMin  = 2 << 10
)

var _ recorder.RecordStore = (*Store)(nil)

// New loads the records db holds and returns the store over them. A record
// that does not decode is skipped and counted in skipped.
func New(db store.Records) (s *Store, skipped int, err error) {
	s = &Store{recs: map[string]*recorder.Record{}, db: db}
	err = db.LoadRecords(func(id string, data []byte) bool {
		rec, err := decode(data)
		if err != nil || rec.ID != id {
			skipped++
			return true
		}
		s.recs[id] = rec
		return true
	})
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
	s.recs[rec.ID] = rec
	data, err := s.encode(rec)
	s.db.PutRecord(rec.ID, func() ([]byte, error) { return data, err })
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
	rec, ok := s.recs[id]
	return rec, ok
}

// Delete implements recorder.RecordStore.
func (s *Store) Delete(id string) {
	if _, ok := s.recs[id]; ok {
		delete(s.recs, id)
		s.db.DeleteRecord(id)
	}
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

// decode reads a record as Put writes it (binary.go), or as it was written
// before that, in JSON (wire.go).
func decode(data []byte) (*recorder.Record, error) {
	if len(data) > 0 && (data[0] == binVersion || data[0] == binVersion1) {
		return decodeBinary(data)
	}
	return decodeJSON(data)
}
