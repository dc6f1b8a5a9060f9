package store

import (
	"encoding/binary"
	"slices"
	"time"
)

// The history log: every user's history in one append-only log of
// segments, one segment per commit that carries history, instead of one
// B-tree key per message. Appends are per message and reads are rare (the
// hub answers resumes from its own ring; it reads the store only after a
// restart, or for a user that left its memory), so the log makes the append
// cheap (bytes added to a buffer; one Put per commit) and the read pay: it
// scans the segments from the newest back (history.go).
//
// On disk: bucket history, group "" (users are never empty, so the old
// layout's groups, one per user, cannot be mistaken for it: histconvert.go),
// segment key unix nanos of the commit (increasing), in chunks (chunks.go):
// chunk 0 starts with the header, uvarint(entries), uvarint(k), k be32
// hashes (userHash, ascending: the segment's users); then the entries, in
// chunk 0 and the next ones, each uvarint(len(user)), user, uvarint(len(id)),
// id, uvarint(len(json)), json. (Segments written before held the header
// alone in chunk 0, and one under an 8-byte key, the first layout, is header
// and entries in one value: the reader takes all three alike.)
//
// The users' hashes are the log's index: the writer keeps each segment's in
// memory (4 bytes per user and segment: under 3 MiB for a full 64 MiB log
// of 100-byte messages, one user each), so a read parses only the segments
// that may hold its user. Without it a resume from an id the history does
// not hold parsed the whole log, on the writer goroutine, every durable
// write waiting behind it (BenchmarkHistoryRead, "unknown", 20 MB: 7 ms of
// CPU without the index, 0.7–0.8 ms with it; "recent": 0.28 ms, 0.05–0.09).
//
// Bounds: a segment older than HistoryTTL goes whole (the sweep), and the
// oldest segments go while the log is over HistoryMaxBytes, so the disk is
// bounded whatever the number of users. The per-user bound, HistoryPerUser,
// is applied by the reader: it keeps the user's last HistoryPerUser entries
// of the log, so a reader never sees more; the disk holds more of an active
// user until TTL or the byte bound take the segments.
//
// The writer goroutine owns all of this: the list of segments (key, bytes,
// entries, users) read at start by one scan of the segments' headers, and
// the buffer of the entries the current transaction has gathered. A failed
// commit forgets the list, to be read again when next needed: the engine
// undid what it had followed.

// histGroup is the log's group in BucketHistory.
var histGroup = []byte{}

// histSeg is one segment as the writer knows it.
type histSeg struct {
	key     uint64 // unix nanos of its commit
	bytes   int64  // its chunks' length
	chunks  int
	whole   bool // written as one value under an 8-byte key
	entries int
	users   []uint32 // the hashes of its users, ascending
	bad     bool     // its header does not parse: a read that reaches it fails
}

// has says whether the segment may hold user's entries.
func (s *histSeg) has(hash uint32) bool {
	_, ok := slices.BinarySearch(s.users, hash)
	return ok || s.bad
}

// userHash is a user's hash in a segment's index (FNV-1a: stable across
// restarts, as the index is on disk).
func userHash(user string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(user); i++ {
		h = (h ^ uint32(user[i])) * 16777619
	}
	return h
}

// segmentHead makes a segment's header for n entries whose users have
// these hashes (sorted and made unique in place); it returns the hashes kept.
func segmentHead(n int, hashes []uint32) ([]byte, []uint32) {
	slices.Sort(hashes)
	hashes = slices.Compact(hashes)
	val := make([]byte, 0, 2*binary.MaxVarintLen64+4*len(hashes))
	val = binary.AppendUvarint(val, uint64(n))
	val = binary.AppendUvarint(val, uint64(len(hashes)))
	for _, h := range hashes {
		val = binary.BigEndian.AppendUint32(val, h)
	}
	return val, hashes
}

// writeSegment writes a segment of these entries, whose users have these
// hashes, under key.
func writeSegment(tx Tx, a *arena, key uint64, entries histEntries, hashes []uint32) (histSeg, error) {
	head, users := segmentHead(len(entries), hashes)
	chunks, bytes, err := putChunks(tx, a, BucketHistory, histGroup, key, head, entries)
	return histSeg{key: key, bytes: bytes, chunks: chunks, entries: len(entries), users: slices.Clone(users)}, err
}

// segmentHeader reads a segment's chunk 0: its entries, its users' hashes
// (still the value's bytes) and the entries that follow in the chunk.
func segmentHeader(val []byte) (n int, hashes, body []byte, ok bool) {
	e, k := binary.Uvarint(val)
	if k <= 0 {
		return 0, nil, nil, false
	}
	u, k2 := binary.Uvarint(val[k:])
	if k2 <= 0 || u > uint64(len(val)-k-k2)/4 || e > 1<<40 {
		return 0, nil, nil, false
	}
	at := k + k2 + 4*int(u)
	return int(e), val[k+k2 : at], val[at:], true
}

// histLog is the writer's state of the log. Writer goroutine only.
type histLog struct {
	arena  *arena    // the DB's
	segs   []histSeg // oldest first
	bytes  int64     // of all segs
	loaded bool      // segs reflects the engine (false at start, after a failed commit)
	last   uint64    // the newest key made or seen: keys only grow

	// entries are those applied since the last flush; flush copies them
	// into chunks of their exact size (growing one buffer entry by entry
	// cost more than the bbolt Put: 4% of wsc-server's CPU under alone-p2p,
	// reallocated as commits grew past its cap).
	entries histEntries
	hashes  []uint32 // of their users (hashed here, off the hub's goroutine)
	// spare is an empty slice for the history queue to fill next (the
	// queue's and the log's slices take turns: histqueue.go). The sweep
	// lets it go (and the other kept slices, and the arena's blocks but
	// its first) when no entry came since the last sweep: an idle DB holds
	// no history buffers. (A second arena block, taken by one busier
	// commit, was kept for good: TestShortLivedUsersLeaveTheHeap failed
	// about one run in eight with a heap 1 MiB higher, on main at b23db92
	// too.)
	spare []histPending
	added bool // entries came since the last sweep
	// swept and capped count the entries of the segments this transaction
	// deleted by age and by the byte bound, added to the DB's counters once
	// it has committed.
	swept, capped int
}

// load reads the list of segments, when it does not reflect the engine.
func (h *histLog) load(tx Tx) error {
	if h.loaded {
		return nil
	}
	h.segs, h.bytes = h.segs[:0], 0
	err := tx.Scan(BucketHistory, histGroup, nil, func(key, val []byte) (bool, error) {
		seg, chunk, ok := parseChunkKey(key)
		if !ok { // not the log's: passed over, so that the writes go on
			return true, nil
		}
		if n := len(h.segs); chunk > 0 && n > 0 && h.segs[n-1].key == seg {
			h.segs[n-1].chunks++
			h.segs[n-1].bytes += int64(len(val))
			h.bytes += int64(len(val))
			return true, nil
		}
		s := histSeg{key: seg, bytes: int64(len(val)), chunks: 1, whole: len(key) == 8}
		n, hashes, _, ok := segmentHeader(val)
		if ok && chunk == 0 {
			s.entries, s.users = n, make([]uint32, len(hashes)/4)
			for i := range s.users {
				s.users[i] = binary.BigEndian.Uint32(hashes[4*i:])
			}
		} else {
			s.bad = true // the reads that reach it say ErrCorrupt, the writes go on, and age takes it
		}
		h.segs = append(h.segs, s)
		h.bytes += s.bytes
		h.last = max(h.last, s.key)
		return true, nil
	})
	h.loaded = err == nil
	return err
}

// addAll gathers entries for this transaction's segment; the first of a
// transaction are taken as they are, not copied (the slice they replace is
// kept as the spare), later ones are copied (and their slice kept).
func (h *histLog) addAll(entries []histPending) {
	h.added = true
	if len(h.entries) == 0 {
		h.keep(h.entries)
		h.entries = entries
	} else {
		h.entries = append(h.entries, entries...)
		clear(entries)
		h.keep(entries)
	}
	for _, e := range entries {
		h.hashes = append(h.hashes, userHash(e.user))
	}
}

// reset forgets the entries gathered (they are in a segment, or gone with a
// failed transaction). The slices are kept only while small: one sized for
// a burst held the heap that much higher, by a varying amount
// (TestShortLivedUsersLeaveTheHeap, store/bolt), and a commit's worth of
// appends costs a few allocations.
func (h *histLog) reset() {
	clear(h.entries) // for the GC
	h.entries, h.hashes = h.entries[:0], h.hashes[:0]
	if cap(h.entries) > histKeep {
		h.entries, h.hashes = nil, nil
	}
}

// histKeep is the most entries a slice kept for reuse holds: a commit of
// the history at 80,000 messages/s every 50 ms (bench/'s alone-p2p) is
// 4,000, and append grows a slice past 4,096 to 5,120 or more; two such
// slices are 920 KB of heap at most.
const histKeep = 1 << 12

// keep makes s, emptied, the spare unless there is one or s is big.
func (h *histLog) keep(s []histPending) {
	if h.spare == nil && cap(s) > 0 && cap(s) <= histKeep {
		h.spare = s[:0]
	}
}

// takeSpare hands the spare over (nil when there is none).
func (h *histLog) takeSpare() []histPending {
	s := h.spare
	h.spare = nil
	return s
}

// nextKey is the key of a new segment: now, or just after the newest key if
// the clock went back.
func (h *histLog) nextKey() uint64 {
	k := uint64(time.Now().UnixNano())
	if k <= h.last {
		k = h.last + 1
	}
	h.last = k
	return k
}

// flush writes the entries gathered since the last flush as one segment,
// then deletes the oldest segments while the log is over maxBytes (always
// keeping the newest).
func (h *histLog) flush(tx Tx, maxBytes int64) error {
	if len(h.entries) == 0 {
		return nil
	}
	if err := h.load(tx); err != nil {
		return err
	}
	s, err := writeSegment(tx, h.arena, h.nextKey(), h.entries, h.hashes)
	if err != nil {
		return err
	}
	h.reset()
	h.segs = append(h.segs, s)
	h.bytes += s.bytes
	for h.bytes > maxBytes && len(h.segs) > 1 {
		n, err := h.dropOldest(tx)
		if err != nil {
			return err
		}
		h.capped += n
	}
	return nil
}

// dropOldest deletes the oldest segment and returns its entries.
func (h *histLog) dropOldest(tx Tx) (int, error) {
	s := h.segs[0]
	if err := deleteSegment(tx, BucketHistory, histGroup, s.key, s.chunks, s.whole); err != nil {
		return 0, err
	}
	h.segs[0] = histSeg{} // for the GC: the array keeps the slot until an append moves it
	h.segs = h.segs[1:]
	h.bytes -= s.bytes
	return s.entries, nil
}

// idle says whether no entry came since the last sweep, and none waits for
// this transaction's segment (two sweeps may share a transaction: the
// first one's entries are still here at the second).
func (h *histLog) idle() bool { return !h.added && len(h.entries) == 0 }

// expire deletes the segments older than oldest, until it has deleted limit
// keys (chunks) or more.
func (h *histLog) expire(tx Tx, oldest int64, limit int) error {
	if h.idle() {
		h.spare, h.entries, h.hashes = nil, nil, nil
		h.arena.trim()
	}
	h.added = false
	if err := h.load(tx); err != nil {
		return err
	}
	for keys := 0; keys < limit && len(h.segs) > 0 && int64(h.segs[0].key) < oldest; {
		keys += h.segs[0].chunks
		n, err := h.dropOldest(tx)
		if err != nil {
			return err
		}
		h.swept += n
	}
	return nil
}

// beforeCommit implements txHooks: this transaction's history and records,
// a segment each.
func (d *DB) beforeCommit(tx Tx) error {
	if err := d.hlog.flush(tx, d.cfg.HistoryMaxBytes); err != nil {
		return err
	}
	return d.rlog.flush(tx)
}

// afterCommit implements txHooks. After a failure the list is read again when
// next needed, and the entries gathered are gone with the transaction (as
// every write of a failed commit is).
func (d *DB) afterCommit(err error) {
	d.arena.reset()
	d.rlog.ended(err)
	d.recordsEnded()
	h := &d.hlog
	if err == nil {
		d.swept.Add(int64(h.swept))
		d.capped.Add(int64(h.capped))
	} else {
		h.loaded = false
	}
	h.reset()
	h.swept, h.capped = 0, 0
}

// sweepChunk is about how many keys (chunks of segments) one sweep deletes
// at most: a sweep holds the writer (and every durable write behind it) for
// about a millisecond. Segments come at most one per FlushInterval (20 a
// second at 50 ms), so a sweep a second keeps up with a few chunks each
// and catches up after a long stop.
const sweepChunk = 4096

// sweepHistory deletes the segments older than the TTL, oldest first, so
// that users who receive nothing more leave the disk (and the memory engine)
// too. The writer runs it every SweepInterval.
func (d *DB) sweepHistory() {
	_ = d.w.enqueue(&op{lazy: true, apply: func(tx Tx) error {
		if d.hlog.idle() { // the queue's empty slice goes too (histLog.spare)
			q := &d.hist
			q.mu.Lock()
			if len(q.entries) == 0 {
				q.entries = nil
			}
			q.mu.Unlock()
		}
		return d.hlog.expire(tx, time.Now().UnixNano()-int64(d.cfg.HistoryTTL), sweepChunk)
	}})
}
