package recorder

// order is the actor's eviction index: every record's creation sequence, in
// two lists kept in creation order, one of finished records and one of the
// others, so that MaxRecords takes the oldest finished record (or the oldest
// overall) from a list's head in O(1). It lives beside the store, not in it,
// so a store stays a plain key-value holder.
//
// Adding a record appends it (O(1)). A record that finishes, or stops being
// finished (a retry), is placed among the others of its list by creation
// order, searching from the newest end: O(1) when records finish in the order
// they were created, as the hub's do (most are created finished, by
// Accepted), O(d) for one that finishes after d newer ones did. Slots are
// reused, so a recorder at its cap allocates none. (The previous index, two
// heaps, cost O(log n) with an allocation per record: 6.5% of the server's CPU
// under p2p load at the 10,000-record cap.)
type order struct {
	slots    map[string]*slot
	active   list
	finished list
	free     *slot // slots to reuse, linked by next
	next     uint64
}

// slot is one record's place in the order, and the record itself (the
// pointer the actor changes in place), so that eviction and the duplicate
// check need no look-up in the store.
type slot struct {
	id         string
	rec        *Record
	seq        uint64 // creation order, from 1
	finished   bool   // which list holds it
	prev, next *slot
}

// list is a doubly linked list of slots, oldest first.
type list struct{ head, tail *slot }

func newOrder() *order { return &order{slots: make(map[string]*slot)} }

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
	s.id, s.rec, s.seq, s.finished = rec.ID, rec, o.next, finished
	o.slots[rec.ID] = s
	o.list(finished).insert(s)
}

// record is the record indexed under id.
func (o *order) record(id string) (*Record, bool) {
	if s, ok := o.slots[id]; ok {
		return s.rec, true
	}
	return nil, false
}

// update moves id to the finished list or out of it.
func (o *order) update(id string, finished bool) {
	s, ok := o.slots[id]
	if !ok || s.finished == finished {
		return
	}
	o.list(s.finished).unlink(s)
	s.finished = finished
	o.list(finished).insert(s)
}

// remove forgets id.
func (o *order) remove(id string) {
	s, ok := o.slots[id]
	if !ok {
		return
	}
	o.list(s.finished).unlink(s)
	delete(o.slots, id)
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

// seq is id's creation sequence (0 when unknown).
func (o *order) seq(id string) uint64 {
	if s, ok := o.slots[id]; ok {
		return s.seq
	}
	return 0
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
