package recordstore

import (
	"encoding/json"
	"fmt"

	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
)

// Store is a recorder.RecordStore over a store.Records.
type Store struct {
	recs map[string]*recorder.Record
	db   store.Records
}

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

// Put implements recorder.RecordStore.
func (s *Store) Put(rec *recorder.Record) {
	s.recs[rec.ID] = rec
	c := rec.Clone() // the actor changes rec in place; the writer encodes this copy
	s.db.PutRecord(rec.ID, func() ([]byte, error) { return encode(&c) })
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

// wire is a record on disk: its message as the wire protocol writes it (so
// Data keeps its exact numbers), the rest as encoding/json does.
type wire struct {
	*recorder.Record
	Message json.RawMessage `json:"Message,omitempty"` // shadows Record.Message
}

// encode writes rec as json.Marshal writes its wire (appendRecord), the
// message as protocol.Encode writes it.
func encode(rec *recorder.Record) ([]byte, error) {
	b, err := appendRecord(make([]byte, 0, 1024), rec)
	if err != nil {
		return nil, err
	}
	if rec.Message != nil { // appended in place: no buffer of its own to copy from
		if b, err = protocol.AppendEncode(append(b, `,"Message":`...), rec.Message); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

func decode(data []byte) (*recorder.Record, error) {
	rec := &recorder.Record{}
	w := wire{Record: rec}
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, err
	}
	if len(w.Message) > 0 {
		m, err := protocol.Decode(w.Message)
		if err != nil {
			return nil, err
		}
		rec.Message = m
	}
	return rec, nil
}
