package store

import (
	"encoding/binary"
	"slices"
	"time"
)

// The history's old layout (format 1 of store/bolt): one key per message,
// group user, key be64(unix nanos), value uvarint(len(id)), id, the JSON.
// Open moves such entries into the log (histlog.go) once: those within the
// TTL, in time order, as segments of about convertSegment bytes keyed by
// their newest entry's time, the newest HistoryMaxBytes of them; then deletes
// the old keys. An old value that does not parse is dropped (history is for
// resume only: nothing depends on one entry). It runs in Open's first
// transaction, so a crash leaves either layout whole, never half of each.

// convertSegment is the size of the segments a conversion writes.
const convertSegment = 1 << 20

type oldEntry struct {
	at    uint64
	entry histPending
	hash  uint32 // userHash
}

// convertHistory is Open's step: it reports how many entries it moved.
func (d *DB) convertHistory(tx Tx) (moved int, err error) {
	type gk struct{ g, k []byte }
	var (
		old     []gk
		entries []oldEntry
		oldest  = time.Now().UnixNano() - int64(d.cfg.HistoryTTL)
	)
	err = tx.ScanAll(BucketHistory, nil, func(group, key, val []byte) (bool, error) {
		if len(group) == 0 { // the log itself
			return true, nil
		}
		old = append(old, gk{append([]byte(nil), group...), append([]byte(nil), key...)})
		id, data, ok := nextField(val)
		if len(key) != 8 || !ok || int64(binary.BigEndian.Uint64(key)) < oldest {
			return true, nil
		}
		e := histPending{string(group), string(id), append([]byte(nil), data...)}
		entries = append(entries, oldEntry{binary.BigEndian.Uint64(key), e, userHash(e.user)})
		return true, nil
	})
	if err != nil || len(old) == 0 {
		return 0, err
	}
	for _, x := range old {
		if err := tx.Delete(BucketHistory, x.g, x.k); err != nil {
			return 0, err
		}
	}
	slices.SortStableFunc(entries, func(a, b oldEntry) int {
		switch {
		case a.at < b.at:
			return -1
		case a.at > b.at:
			return 1
		}
		return 0
	})
	size := int64(0) // keep the newest HistoryMaxBytes
	first := len(entries)
	for first > 0 && size+int64(entrySize(entries[first-1].entry)) <= d.cfg.HistoryMaxBytes {
		first--
		size += int64(entrySize(entries[first].entry))
	}
	entries = entries[first:]
	if err := d.hlog.load(tx); err != nil {
		return 0, err
	}
	h := &d.hlog
	for len(entries) > 0 {
		var (
			body   histEntries
			hashes []uint32
			size   int
			n      int
		)
		for n < len(entries) && (n == 0 || size+entrySize(entries[n].entry) <= convertSegment) {
			body = append(body, entries[n].entry)
			hashes = append(hashes, entries[n].hash)
			size += entrySize(entries[n].entry)
			n++
		}
		key := max(entries[n-1].at, h.last+1)
		h.last = key
		if _, err := writeSegment(tx, h.arena, key, body, hashes); err != nil {
			return 0, err
		}
		moved += n
		entries = entries[n:]
	}
	h.loaded = false // the list is read again, the new segments in their place
	return moved, nil
}

func entrySize(e histPending) int { return histEntries{e}.Size(0) }
