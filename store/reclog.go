package store

import (
	"encoding/binary"
	"slices"
)

// The records log: the recorder's records as an append-only log of
// segments, one per commit that carries records, instead of one B-tree key
// per record. Under alone-p2p every message makes a record (a Put) and
// evicts the one 10,000 messages older (a Delete): bbolt's Put and Delete of
// those were 9% of wsc-server's CPU, and their pages most of a commit's
// writes, after the history had become a log (histlog.go).
//
// On disk: bucket records, group "log" (the old layout's keys are in group
// "": recconvert.go), segment key a counter, in chunks (chunks.go) of entries, each
// uvarint(len(id)), id, then uvarint(0) for a deletion, or
// uvarint(len(data)+1) and the record's bytes. The log is read whole at Open
// (in order: a later entry of an id replaces an earlier one), and only then:
// LoadRecords hands out what it built.
//
// The writer keeps, for each record, the segment that holds its latest
// version, its place there and its size (a RecordSlot: the caller holds it
// with the record, so the writer needs no index by id), and for each segment
// the bytes of the latest versions it holds (live) and the slot of each of
// its entries. A segment with nothing live goes; while
// the log is over twice its live bytes (plus recSlack) the oldest segment
// goes and its live records are written again at the head (compaction), a
// few segments per commit. Records are evicted oldest first, so the oldest
// segments are mostly dead and go without being read. Deletions stay in the
// log until their segment is the oldest: nothing older is left for them to
// hide then.

// recGroup is the log's group in BucketRecords.
var recGroup = []byte("log")

// recSlack is how far past twice its live bytes the log may grow before
// compaction: one commit's records never make it compact.
const recSlack = 4 << 20

// recCompactPerCommit bounds the segments one commit compacts.
const recCompactPerCommit = 4

type recSeg struct {
	key    uint64
	chunks int
	bytes  int64 // its chunks' length
	live   int64 // bytes of the latest versions it holds
	// slots are its entries' records, in order (compaction finds the live
	// ones by them).
	slots []*RecordSlot
}

// RecordSlot is the writer's place for one record: which segment of the
// log holds its latest version, where, and how big it is. The caller of
// PutRecordIn keeps it with the record and passes it back; only the
// writer goroutine reads or changes it. A zero RecordSlot is a new record's.
type RecordSlot struct {
	seg   uint64
	entry int // its latest version's place among the segment's entries
	size  int64
	live  bool
	last  int // takeRecords: the index of its last change in the take
}

// recPending is a record written in this transaction: its encoding as
// Records' encode gave it (or a copy), encoded into a chunk at the commit.
type recPending struct {
	id   string
	slot *RecordSlot
	data []byte
	put  bool
}

// recEntries implements chunkEntries.
type recEntries []recPending

func (r recEntries) Len() int { return len(r) }

func (r recEntries) Size(i int) int {
	p := &r[i]
	n := uvarintLen(uint64(len(p.id))) + len(p.id)
	if !p.put {
		return n + 1
	}
	return n + uvarintLen(uint64(len(p.data))+1) + len(p.data)
}

func (r recEntries) Append(b []byte, i int) []byte {
	p := &r[i]
	b = binary.AppendUvarint(b, uint64(len(p.id)))
	b = append(b, p.id...)
	if !p.put {
		return binary.AppendUvarint(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(len(p.data))+1)
	return append(b, p.data...)
}

// recLog is the writer's state of the log. Writer goroutine only.
type recLog struct {
	arena  *arena // the DB's
	loaded bool
	segs   []recSeg // oldest first
	bytes  int64    // of all segs
	live   int64    // of all segs
	next   uint64   // the next segment's key
	pend   recEntries
	// byID finds the slots of the id-keyed methods (PutRecord), and of the
	// records read at load until LoadRecordSlots hands them out.
	byID map[string]*RecordSlot
	// forget are ids deleted from byID once this transaction commits.
	forget []string
	// was is the state before this transaction changed it and undo the
	// slots it changed, as they were: a failed commit puts both back (the
	// engine undid the transaction; the slots held outside must say so).
	was  *recState
	undo []slotWas
}

type recState struct {
	segs        []recSeg
	bytes, live int64
	next        uint64
	loaded      bool
}

type slotWas struct {
	slot  *RecordSlot
	state RecordSlot
}

// slotOf is the slot of id for the id-keyed methods.
func (r *recLog) slotOf(id string) *RecordSlot {
	if r.byID == nil {
		r.byID = map[string]*RecordSlot{}
	}
	slot := r.byID[id]
	if slot == nil {
		slot = &RecordSlot{}
		r.byID[id] = slot
	}
	return slot
}

// begin keeps the state as it is before this transaction first changes it.
func (r *recLog) begin() {
	if r.was == nil {
		r.was = &recState{segs: slices.Clone(r.segs), bytes: r.bytes, live: r.live, next: r.next, loaded: r.loaded}
	}
}

// nextRecord reads one entry off b: its id, its data (put) and the entry's
// bytes.
func nextRecord(b []byte) (id, data, entry, rest []byte, put, ok bool) {
	id, rest, ok = nextField(b)
	if !ok {
		return
	}
	n, k := binary.Uvarint(rest)
	if k <= 0 || n > uint64(len(rest)-k)+1 {
		return nil, nil, nil, nil, false, false
	}
	if n == 0 {
		rest = rest[k:]
	} else {
		data, rest, put = rest[k:k+int(n-1)], rest[k+int(n-1):], true
	}
	return id, data, b[:len(b)-len(rest)], rest, put, true
}

// load reads the whole log, when the writer's state does not reflect it
// (at the first write or load).
func (r *recLog) load(tx Tx) error {
	if r.loaded {
		return nil
	}
	r.begin()
	r.segs, r.bytes, r.live = r.segs[:0], 0, 0
	err := scanRecords(tx, func(seg uint64, first bool, val []byte) {
		if first {
			r.next = max(r.next, seg+1)
			r.segs = append(r.segs, recSeg{key: seg})
		}
		s := &r.segs[len(r.segs)-1]
		s.chunks++
		s.bytes += int64(len(val))
		r.bytes += int64(len(val))
	}, func(id, data, entry []byte, put bool) {
		r.apply(r.slotOf(string(id)), int64(len(entry)), put)
	})
	r.loaded = err == nil
	return err
}

// scanRecords calls chunk for each chunk of the log, oldest first (first:
// the first of its segment), and entry for each of its entries. A damaged
// chunk counts as far as it parses: records are skipped, not fatal (as
// recordstore skips a record that does not decode), and compaction takes
// the segment in turn.
func scanRecords(tx Tx, chunk func(seg uint64, first bool, val []byte), entry func(id, data, entry []byte, put bool)) error {
	last, seen := uint64(0), false
	return tx.Scan(BucketRecords, recGroup, nil, func(key, val []byte) (bool, error) {
		seg, _, ok := parseChunkKey(key)
		if !ok {
			return true, nil
		}
		chunk(seg, !seen || seg != last, val)
		last, seen = seg, true
		for b := val; len(b) > 0; {
			id, data, e, rest, put, ok := nextRecord(b)
			if !ok {
				break
			}
			entry(id, data, e, put)
			b = rest
		}
		return true, nil
	})
}

// apply follows one entry of the newest segment in its record's slot.
func (r *recLog) apply(slot *RecordSlot, size int64, put bool) {
	r.undo = append(r.undo, slotWas{slot, *slot})
	if slot.live {
		if s := r.seg(slot.seg); s != nil {
			s.live -= slot.size
		}
		r.live -= slot.size
	}
	s := &r.segs[len(r.segs)-1] // the newest while entries are applied
	slot.live = put
	if put {
		slot.seg, slot.entry, slot.size = s.key, len(s.slots), size
		s.live += size
		r.live += size
	}
	s.slots = append(s.slots, slot)
}

// seg finds the segment of this key.
func (r *recLog) seg(key uint64) *recSeg {
	if n := len(r.segs); n > 0 && r.segs[0].key <= key && key-r.segs[0].key < uint64(n) && r.segs[key-r.segs[0].key].key == key {
		return &r.segs[key-r.segs[0].key] // keys are consecutive but for a gap left by a crash
	}
	i, ok := slices.BinarySearchFunc(r.segs, key, func(s recSeg, k uint64) int {
		switch {
		case s.key < k:
			return -1
		case s.key > k:
			return 1
		}
		return 0
	})
	if !ok {
		return nil
	}
	return &r.segs[i]
}

// add queues a record's write for this transaction's segment; data is
// kept, not copied. slot nil: the id-keyed one.
func (r *recLog) add(id string, slot *RecordSlot, data []byte, put bool) {
	if slot == nil {
		slot = r.slotOf(id)
	}
	if !put && r.byID != nil && r.byID[id] == slot {
		r.forget = append(r.forget, id)
	}
	r.pend = append(r.pend, recPending{id, slot, data, put})
}

// flush writes the records queued since the last flush as one segment, then
// deletes the segments with nothing live and compacts.
func (r *recLog) flush(tx Tx) error {
	if len(r.pend) == 0 {
		return nil
	}
	if err := r.load(tx); err != nil {
		return err
	}
	r.begin()
	if err := r.write(tx); err != nil {
		return err
	}
	return r.compact(tx)
}

// write puts the pending entries as the newest segment.
func (r *recLog) write(tx Tx) error {
	s := recSeg{key: r.next} // r.next is past every key: flush loaded the log
	chunks, bytes, err := putChunks(tx, r.arena, BucketRecords, recGroup, s.key, nil, r.pend)
	if err != nil {
		return err
	}
	s.chunks, s.bytes = chunks, bytes
	s.slots = make([]*RecordSlot, 0, len(r.pend))
	r.next++
	r.segs = append(r.segs, s)
	r.bytes += s.bytes
	for i, p := range r.pend {
		r.apply(p.slot, int64(r.pend.Size(i)), p.put)
	}
	clear(r.pend)
	r.pend = r.pend[:0]
	return nil
}

// compact deletes the oldest segments while they hold nothing live, and
// while the log is over twice its live bytes (plus recSlack) writes the
// oldest segment's live records again at the head and deletes it.
func (r *recLog) compact(tx Tx) error {
	for n := 0; len(r.segs) > 1; {
		s := r.segs[0]
		if s.live > 0 {
			if r.bytes <= 2*r.live+recSlack || n == recCompactPerCommit {
				return nil
			}
			n++
			if err := r.rewrite(tx, s); err != nil {
				return err
			}
		}
		if err := deleteSegment(tx, BucketRecords, recGroup, s.key, s.chunks, false); err != nil {
			return err
		}
		r.segs[0] = recSeg{} // for the GC: its slots
		r.segs = r.segs[1:]
		r.bytes -= s.bytes
		if len(r.pend) > 0 {
			if err := r.write(tx); err != nil {
				return err
			}
		}
	}
	return nil
}

// rewrite queues again the live records of segment s (the oldest): s goes
// next. Its entries are its slots', in order: an entry is live when it is
// its slot's latest version.
func (r *recLog) rewrite(tx Tx, s recSeg) error {
	k := 0
	return scanSegment(tx, BucketRecords, recGroup, s.key, func(_ uint32, val []byte) (bool, error) {
		for b := val; len(b) > 0 && k < len(s.slots); k++ {
			id, data, _, rest, put, ok := nextRecord(b)
			if !ok {
				break
			}
			if slot := s.slots[k]; put && slot.live && slot.seg == s.key && slot.entry == k {
				r.add(string(id), slot, append([]byte(nil), data...), true) // a copy: val is the transaction's
			}
			b = rest
		}
		return true, nil
	})
}

// ended is the end of a transaction. After a failure the state and the
// slots are put back as they were before it, and the records queued are
// gone with the transaction (as every write of a failed commit is).
func (r *recLog) ended(err error) {
	if err != nil {
		for i := len(r.undo) - 1; i >= 0; i-- {
			*r.undo[i].slot = r.undo[i].state
		}
		if w := r.was; w != nil {
			r.segs, r.bytes, r.live, r.next, r.loaded = w.segs, w.bytes, w.live, w.next, w.loaded
		}
	} else {
		for _, id := range r.forget {
			if slot := r.byID[id]; slot != nil && !slot.live {
				delete(r.byID, id)
			}
		}
	}
	clear(r.undo)
	r.undo, r.forget, r.was = r.undo[:0], r.forget[:0], nil
	if cap(r.undo) > 1<<16 { // a burst's (or the load's) is not kept
		r.undo = nil
	}
	clear(r.pend)
	r.pend = r.pend[:0]
}
