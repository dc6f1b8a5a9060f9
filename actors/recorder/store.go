package recorder

// RecordStore holds the recorder's records. The recorder actor is its only
// user: every method is called from the actor's goroutine, one at a time, so
// an implementation needs no locks. It must not block either (no disk or
// network I/O on the call): a durable store writes behind, on its own
// goroutine, from copies.
//
// The actor keeps the *Record it got from Put or Get and changes it in place,
// calling Put again after every change. A store that keeps anything beyond
// the pointer must copy it (Record.Clone) before Put returns.
//
// After Delete(id) the store must hold no pointer to that record, nor to
// anything it reaches (its history): the actor reuses a deleted record,
// history and all, for a later record (recycle.go), so the same *Record may
// come to Put again under another id.
type RecordStore interface {
	// Put inserts rec, or replaces the record with the same ID.
	Put(rec *Record)
	// Get returns the record with this id.
	Get(id string) (*Record, bool)
	// Delete removes the record with this id, if any.
	Delete(id string)
	// Len is the number of records held.
	Len() int
	// Range calls fn for every record, in no particular order, until fn
	// returns false. fn does not change the store.
	Range(fn func(*Record) bool)
}

// Flusher is a RecordStore that gathers its writes and hands them on
// together: the actor calls Flush at the end of every message it handles
// (a batch of the hub's events, a query, a tick), so that a durable store
// queues a batch's changes for its disk in one go rather than one by one.
// After Flush returns nothing may wait in the store for a later one.
type Flusher interface {
	Flush()
}

// HeldDeleter is a RecordStore that deletes a record it holds given the
// record itself: the actor's evictions and removals, which hold it, spare
// the store a lookup by id (each message evicts one at the cap).
// DeleteHeld(rec) means Delete(rec.ID).
type HeldDeleter interface {
	DeleteHeld(rec *Record)
}

// MemoryStore is the default RecordStore: a map, owned by the recorder actor.
type MemoryStore struct {
	m map[string]*Record
}

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore { return &MemoryStore{m: make(map[string]*Record)} }

// Put implements RecordStore.
func (s *MemoryStore) Put(rec *Record) { s.m[rec.ID] = rec }

// Get implements RecordStore.
func (s *MemoryStore) Get(id string) (*Record, bool) {
	rec, ok := s.m[id]
	return rec, ok
}

// Delete implements RecordStore.
func (s *MemoryStore) Delete(id string) { delete(s.m, id) }

// Len implements RecordStore.
func (s *MemoryStore) Len() int { return len(s.m) }

// Range implements RecordStore.
func (s *MemoryStore) Range(fn func(*Record) bool) {
	for _, rec := range s.m {
		if !fn(rec) {
			return
		}
	}
}
