package recorder

import "container/heap"

// order is the actor's eviction index: every record's creation sequence, in
// two min-heaps, one for finished records and one for the others, so that
// MaxRecords finds the oldest finished record (or the oldest overall) in
// O(log n). It lives beside the store, not in it, so a store stays a plain
// key-value holder.
type order struct {
	slots    map[string]*slot
	active   seqHeap
	finished seqHeap
	next     uint64
}

// slot is one record's place in the order.
type slot struct {
	id       string
	seq      uint64 // creation order, from 1
	finished bool   // which heap holds it
	i        int    // its index in that heap
}

func newOrder() *order { return &order{slots: make(map[string]*slot)} }

// add appends id as the newest record.
func (o *order) add(id string, finished bool) {
	o.next++
	s := &slot{id: id, seq: o.next, finished: finished}
	o.slots[id] = s
	heap.Push(o.heap(finished), s)
}

// update moves id to the finished heap or out of it.
func (o *order) update(id string, finished bool) {
	s, ok := o.slots[id]
	if !ok || s.finished == finished {
		return
	}
	heap.Remove(o.heap(s.finished), s.i)
	s.finished = finished
	heap.Push(o.heap(finished), s)
}

// remove forgets id.
func (o *order) remove(id string) {
	s, ok := o.slots[id]
	if !ok {
		return
	}
	heap.Remove(o.heap(s.finished), s.i)
	delete(o.slots, id)
}

// victim returns the record to evict: the oldest finished one, or the oldest
// overall when none is finished.
func (o *order) victim() (string, bool) {
	switch {
	case len(o.finished) > 0:
		return o.finished[0].id, true
	case len(o.active) > 0:
		return o.active[0].id, true
	}
	return "", false
}

// seq is id's creation sequence (0 when unknown).
func (o *order) seq(id string) uint64 {
	if s, ok := o.slots[id]; ok {
		return s.seq
	}
	return 0
}

func (o *order) heap(finished bool) *seqHeap {
	if finished {
		return &o.finished
	}
	return &o.active
}

// seqHeap is a min-heap of slots by seq; it keeps each slot's index.
type seqHeap []*slot

func (h seqHeap) Len() int           { return len(h) }
func (h seqHeap) Less(i, j int) bool { return h[i].seq < h[j].seq }
func (h seqHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].i, h[j].i = i, j
}

func (h *seqHeap) Push(x any) {
	s := x.(*slot)
	s.i = len(*h)
	*h = append(*h, s)
}

func (h *seqHeap) Pop() any {
	old := *h
	s := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return s
}
