package recorder

// order is the actor's eviction index: the records in two lists kept in
// creation order, one of finished records and one of the others, so that
// MaxRecords takes the oldest finished record (or the oldest overall) from a
// list's head in O(1). Each record points at its own slot (Record.slot), so
// the index needs no map of its own: the store's look-up by id is the only
// one, and eviction is a map delete in the store and a few pointer moves here.
//
// Adding a record appends it (O(1)). A record that finishes, or stops being
// finished (a retry), is placed among the others of its list by creation
// order, searching from the newest end: O(1) when records finish in the order
// they were created, as the hub's do (most are created finished, by
// Accepted), O(d) for one that finishes after d newer ones did. Slots are
// reused, so a recorder at its cap allocates none. (The previous index, two
// heaps and a map, cost O(log n) with an allocation per record: 6.5% of the
// server's CPU under p2p load at the 10,000-record cap.)
type order struct {
	active   list
	finished list
	free     *slot // slots to reuse, linked by next
	next     uint64
}

// slot is one record's place in the order.
type slot struct {
	rec        *Record
	seq        uint64 // creation order, from 1
	finished   bool   // which list holds it
	prev, next *slot
}

// list is a doubly linked list of slots, oldest first.
type list struct{ head, tail *slot }

func newOrder() *order { return &order{} }

// add appends rec as the newest record.
func (o *order) add(rec *Record) {
	o.next++
	s := o.free
	if s != nil {
		o.free = s.next
		*s = slot{}
	} else {
		s = new(slot)
	}
	finished := rec.Status.IsFinished()
	s.rec, s.seq, s.finished = rec, o.next, finished
	rec.slot = s
	o.list(finished).insert(s)
}

// update moves rec to the finished list or out of it.
func (o *order) update(rec *Record, finished bool) {
	s := rec.slot
	if s == nil || s.finished == finished {
		return
	}
	o.list(s.finished).unlink(s)
	s.finished = finished
	o.list(finished).insert(s)
}

// remove forgets rec.
func (o *order) remove(rec *Record) {
	s := rec.slot
	if s == nil {
		return
	}
	o.list(s.finished).unlink(s)
	rec.slot = nil
	*s = slot{next: o.free}
	o.free = s
}

// victim returns the record to evict: the oldest finished one, or the oldest
// overall when none is finished.
func (o *order) victim() (*Record, bool) {
	switch {
	case o.finished.head != nil:
		return o.finished.head.rec, true
	case o.active.head != nil:
		return o.active.head.rec, true
	}
	return nil, false
}

// seq is rec's creation sequence (0 when it is not indexed).
func (o *order) seq(rec *Record) uint64 {
	if rec.slot == nil {
		return 0
	}
	return rec.slot.seq
}

func (o *order) list(finished bool) *list {
	if finished {
		return &o.finished
	}
	return &o.active
}

// insert puts s after the newest slot older than it.
func (l *list) insert(s *slot) {
	after := l.tail
	for after != nil && after.seq > s.seq {
		after = after.prev
	}
	s.prev = after
	if after == nil {
		s.next = l.head
		l.head = s
	} else {
		s.next = after.next
		after.next = s
	}
	if s.next == nil {
		l.tail = s
	} else {
		s.next.prev = s
	}
}

func (l *list) unlink(s *slot) {
	if s.prev == nil {
		l.head = s.next
	} else {
		s.prev.next = s.next
	}
	if s.next == nil {
		l.tail = s.prev
	} else {
		s.next.prev = s.prev
	}
	s.prev, s.next = nil, nil
}
