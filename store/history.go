package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"
)

// History: appends go into the history log (histlog.go), one segment per
// commit; a read scans the log from its newest segment back.

// AppendHistory implements History.
func (d *DB) AppendHistory(user string, e Entry) {
	if d.check("user", user) != nil || e.Msg == nil {
		return
	}
	data, err := encode(e.Msg, e.Data)
	if err != nil {
		return
	}
	// written behind, and past MaxQueueBytes dropped (histqueue.go)
	d.queueHistory(histPending{user, e.Msg.ID, data}, int64(len(user)+len(e.Msg.ID)+len(data)))
}

// histPending is an entry of the history not yet written: the hub's frame
// bytes as they came (the store keeps them, as the offline store does),
// encoded into a chunk at the commit.
type histPending struct {
	user, id string
	data     []byte
}

// histEntries implements chunkEntries: each entry uvarint(len(user)), user,
// uvarint(len(id)), id, uvarint(len(json)), json; or, when the frame begins
// with the id (framed), uvarint(0) in place of the id: the hub's frames all
// begin {"id":"<id>", so the id was written twice per message (23 bytes
// under bench/'s alone-p2p, a twentieth of what the server wrote). An
// entry's id is read back from its frame then (frameID); an entry of the
// earlier layout with an empty id reads the same way, as "" (its frame's
// id is "", or it has none).
type histEntries []histPending

func (h histEntries) Len() int { return len(h) }

func (h histEntries) Size(i int) int {
	e := &h[i]
	n := uvarintLen(uint64(len(e.user))) + len(e.user) + uvarintLen(uint64(len(e.data))) + len(e.data)
	if framed(e.id, e.data) {
		return n + 1
	}
	return n + uvarintLen(uint64(len(e.id))) + len(e.id)
}

func (h histEntries) Append(b []byte, i int) []byte {
	e := &h[i]
	b = binary.AppendUvarint(b, uint64(len(e.user)))
	b = append(b, e.user...)
	if framed(e.id, e.data) {
		b = append(b, 0)
	} else {
		b = binary.AppendUvarint(b, uint64(len(e.id)))
		b = append(b, e.id...)
	}
	b = binary.AppendUvarint(b, uint64(len(e.data)))
	return append(b, e.data...)
}

// idKey is how a frame protocol.Encode wrote begins: its id follows.
const idKey = `{"id":"`

// framed says whether data begins with id as frameID reads it: the JSON
// string's bytes are id's own, so id holds no '"' (nor anything escaped).
func framed(id string, data []byte) bool {
	return id != "" && len(data) > len(idKey)+len(id) && string(data[:len(idKey)]) == idKey &&
		string(data[len(idKey):len(idKey)+len(id)]) == id && data[len(idKey)+len(id)] == '"'
}

// frameID is the id a framed entry's frame begins with ("" for none).
func frameID(data []byte) []byte {
	if len(data) < len(idKey) || string(data[:len(idKey)]) != idKey {
		return nil
	}
	rest := data[len(idKey):]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return nil
	}
	return rest[:end]
}

// nextField reads one length-prefixed field off b.
func nextField(b []byte) (field, rest []byte, ok bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return nil, nil, false
	}
	return b[k : k+int(n)], b[k+int(n):], true
}

// userEntry is one of the reader's user's entries, its bytes still the
// transaction's.
type userEntry struct{ id, data []byte }

// segmentEntries appends to out the entries of user in a segment's chunk,
// in order.
func segmentEntries(out []userEntry, chunk uint32, val []byte, user string) ([]userEntry, bool) {
	if chunk == 0 {
		_, _, body, ok := segmentHeader(val)
		if !ok {
			return out, false
		}
		val = body
	}
	for b := val; len(b) > 0; {
		u, rest, ok := nextField(b)
		if !ok {
			return out, false
		}
		id, rest, ok := nextField(rest)
		if !ok {
			return out, false
		}
		data, rest, ok := nextField(rest)
		if !ok {
			return out, false
		}
		if string(u) == user { // no allocation: the compiler compares in place
			if len(id) == 0 {
				id = frameID(data)
			}
			out = append(out, userEntry{id, data})
		}
		b = rest
	}
	return out, true
}

// ReadHistory implements History.
func (d *DB) ReadHistory(user, after string, n int, done func([]Entry, bool, error)) {
	if n <= 0 {
		n = d.cfg.HistoryPerUser
	}
	var (
		out     []Entry
		found   = after == ""
		readErr error
	)
	err := d.w.enqueue(&op{urgent: true, all: true, // after the appends queued before it
		apply: func(tx Tx) error {
			// the appends applied before this read in the transaction go to the log first
			if err := d.hlog.flush(tx, d.cfg.HistoryMaxBytes); err != nil {
				return err
			}
			if err := d.hlog.load(tx); err != nil {
				return err
			}
			// errors stay in readErr: a bad segment must not fail the others' writes
			out, found, readErr = d.readHistory(tx, user, after, n)
			return nil
		},
		after: func(err error) {
			if err == nil {
				err = readErr
			}
			if err != nil {
				out, found = nil, false
			}
			done(out, found, err)
		}})
	_ = err // after heard ErrClosed already
}

// readHistory finds user's last HistoryPerUser entries within the TTL,
// scanning the segments that may hold them (histSeg.has) from the newest
// back; it stops as soon as it has
// that many, or has met after (what follows after is then complete). It
// returns up to n entries after the one with id after (all of them when
// after is ""); found is false when after is not among them.
func (d *DB) readHistory(tx Tx, user, after string, n int) ([]Entry, bool, error) {
	oldest := time.Now().UnixNano() - int64(d.cfg.HistoryTTL)
	bound, hash := d.cfg.HistoryPerUser, userHash(user)
	var kept, seg []userEntry // kept: oldest first
	met := false
	for i := len(d.hlog.segs) - 1; i >= 0 && len(kept) < bound && !met; i-- {
		s := &d.hlog.segs[i]
		if int64(s.key) < oldest {
			break
		}
		if !s.has(hash) {
			continue
		}
		seg = seg[:0]
		err := scanSegment(tx, BucketHistory, histGroup, s.key, func(chunk uint32, val []byte) (bool, error) {
			var ok bool
			if seg, ok = segmentEntries(seg, chunk, val, user); !ok || s.bad {
				return false, fmt.Errorf("%w: history segment %x", ErrCorrupt, s.key)
			}
			return true, nil
		})
		if err != nil {
			return nil, false, err
		}
		if after != "" {
			for _, e := range seg {
				met = met || string(e.id) == after
			}
		}
		kept = append(seg, kept...) // rare reads: the prepend's copy does not matter
		seg = nil
	}
	if len(kept) > bound {
		kept = kept[len(kept)-bound:]
	}
	start, found := 0, after == ""
	for i := len(kept) - 1; i >= 0 && !found; i-- {
		if string(kept[i].id) == after {
			start, found = i+1, true
		}
	}
	if !found {
		return nil, false, nil
	}
	var out []Entry
	for _, e := range kept[start:min(len(kept), start+n)] {
		data := append([]byte(nil), e.data...)
		m, err := decodeAt(BucketHistory, user, data)
		if err != nil {
			return nil, false, err
		}
		out = append(out, Entry{Msg: m, Data: data})
	}
	return out, true, nil
}
