package recordstore

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"time"

	"github.com/go-wsc/go-wsc/actors/recorder"
)

// The binary encoding of a record: what Put writes. Every message makes a
// record, so its encoding is on the path every message takes on a durable
// server: the JSON encoding (wire.go), with its RFC 3339 times, escaped
// strings and field names, was a third of the records' cost (alone-p2p,
// pprof). Records are read only at start-up, so the encoding is for the
// writer: lengths and integers, no escapes, no names.
//
// Layout: the version (binVersion), then the strings ID, UserID, TicketID,
// NodeID, Status, Reason and Error, the times CreatedAt and UpdatedAt,
// History (a count, then From, To, Reason and At of each), Attempts (a
// count, then N, At and Err of each), CustomFields (its JSON), Tags (a
// count, then each), Extra (its JSON), and last one byte, 1 when the
// message follows (message.go), 0 when there is none. A count is
// uvarint(n+1), 0 for a nil slice; a map is uvarint(len(JSON)) and the
// JSON, 0 for nil; CreatedAt is varint(Unix seconds) and uvarint(nanoseconds),
// read back in the local zone (the zero time stays zero). Version 4, the one
// written, writes the strings and times as codes (words.go), the ID as a
// reference to the id the store keeps the record under (the records log
// writes that id before each record: repeating it cost 23 bytes a message
// under bench/'s alone-p2p, a twentieth of what the server wrote), and the
// message's CreateAt as a time code too (the hub stamps a message and its
// record with one clock reading: 1 byte, was 11). Version 3 wrote CreateAt
// in full, version 2 the ID in full too, and version 1 each string as
// uvarint(len) and its bytes and each time in full: all three still read.
// A record in JSON (written before them) starts with '{': decode tells them
// apart by the first byte.

// binVersion is the first byte of a binary record as Put writes it;
// binVersion1, 2 and 3 those of the earlier binary encodings.
const (
	binVersion1 = 1
	binVersion2 = 2
	binVersion3 = 3
	binVersion  = 4
)

var errBinary = errors.New("recordstore: truncated or malformed binary record")

// appendBinary appends rec's binary encoding to b.
func appendBinary(b []byte, rec *recorder.Record) ([]byte, error) {
	b = append(b, binVersion)
	b = appendRef(b, rec.ID, rec.ID) // the store's id: written once, before the record
	b = appendRef(b, rec.UserID, "")
	b = appendRef(b, rec.TicketID, "")
	b = appendRef(b, rec.NodeID, "")
	b = appendWord(b, string(rec.Status), "")
	b = appendWord(b, string(rec.Reason), "")
	b = appendRef(b, rec.Error, "")
	b = appendTime(b, rec.CreatedAt)
	b = appendTimeRef(b, rec.UpdatedAt, rec.CreatedAt)
	b = appendCount(b, len(rec.History), rec.History == nil)
	prev := recorder.Status("")
	for _, t := range rec.History {
		b = appendWord(b, string(t.From), string(prev))
		b = appendWord(b, string(t.To), string(rec.Status))
		b = appendWord(b, string(t.Reason), "")
		b = appendTimeRef(b, t.At, rec.CreatedAt)
		prev = t.To
	}
	b = appendCount(b, len(rec.Attempts), rec.Attempts == nil)
	for _, a := range rec.Attempts {
		b = binary.AppendVarint(b, int64(a.N))
		b = appendTimeRef(b, a.At, rec.CreatedAt)
		b = appendRef(b, a.Err, "")
	}
	b, err := appendMap(b, rec.CustomFields)
	if err != nil {
		return nil, err
	}
	b = appendCount(b, len(rec.Tags), rec.Tags == nil)
	for _, t := range rec.Tags {
		b = appendRef(b, t, "")
	}
	if b, err = appendMap(b, rec.Extra); err != nil {
		return nil, err
	}
	if rec.Message == nil {
		return append(b, 0), nil
	}
	return appendMessage(append(b, 1), rec.Message, rec)
}

// appendTimeRef appends t as a code: 0 the zero time, 1 the instant of ref,
// 2 and t in full.
func appendTimeRef(b []byte, t, ref time.Time) []byte {
	switch {
	case t.IsZero():
		return append(b, 0)
	case t.Equal(ref):
		return append(b, 1)
	}
	return appendTime(append(b, 2), t)
}

func appendCount(b []byte, n int, isNil bool) []byte {
	if isNil {
		return append(b, 0)
	}
	return binary.AppendUvarint(b, uint64(n)+1)
}

func appendTime(b []byte, t time.Time) []byte {
	return binary.AppendUvarint(binary.AppendVarint(b, t.Unix()), uint64(t.Nanosecond()))
}

// appendMap is the JSON of v (a map of any values: rare, and anything).
func appendMap(b []byte, v map[string]any) ([]byte, error) {
	if v == nil {
		return append(b, 0), nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(binary.AppendUvarint(b, uint64(len(data))), data...), nil
}

// isBinary says whether v is the first byte of a binary record.
func isBinary(v byte) bool { return v >= binVersion1 && v <= binVersion }

// binReader reads a binary record; the first malformed field sets err and
// every later read gives zero values.
type binReader struct {
	b   []byte
	err error
	v2  bool // the second encoding or a later one: strings and times as codes (words.go)
	v4  bool // the fourth: the message's time as a code too
}

// s reads a string: a code (ref: what a reference stands for) or, in the
// first encoding, uvarint(len) and its bytes.
func (r *binReader) s(ref string) string {
	if r.v2 {
		return r.code(ref)
	}
	return r.str()
}

// t reads a time: a code (ref: what a reference stands for) or, in the
// first encoding, the time in full.
func (r *binReader) t(ref time.Time) time.Time {
	if !r.v2 {
		return r.time()
	}
	switch r.uvarint() {
	case 0:
		return time.Time{}
	case 1:
		return ref
	case 2:
		return r.time()
	}
	r.fail()
	return time.Time{}
}

func (r *binReader) fail() { r.b, r.err = nil, errBinary }

func (r *binReader) uvarint() uint64 {
	n, k := binary.Uvarint(r.b)
	if k <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[k:]
	return n
}

func (r *binReader) varint() int64 {
	n, k := binary.Varint(r.b)
	if k <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[k:]
	return n
}

// bytes reads uvarint(n) and n bytes (the record's own: not copied).
func (r *binReader) bytes() []byte {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail()
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *binReader) str() string { return string(r.bytes()) }

// count reads a slice's length: -1 for nil. It is bounded by the bytes left
// (each element takes one at least), so a bad count cannot make a huge slice.
func (r *binReader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.b))+1 {
		r.fail()
		return -1
	}
	return int(n) - 1
}

func (r *binReader) time() time.Time {
	sec, nsec := r.varint(), r.uvarint()
	if nsec >= 1e9 {
		r.fail()
		return time.Time{}
	}
	t := time.Unix(sec, int64(nsec))
	if t.IsZero() {
		return time.Time{}
	}
	return t
}

func (r *binReader) jsonMap() map[string]any {
	data := r.bytes()
	if r.err != nil || len(data) == 0 {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		r.err = err
		return nil
	}
	return m
}

// decodeBinary reads a record appendBinary wrote, in any of the three
// encodings; id is the one the store keeps it under.
func decodeBinary(id string, data []byte) (*recorder.Record, error) {
	if len(data) == 0 || !isBinary(data[0]) {
		return nil, errBinary
	}
	r := &binReader{b: data[1:], v2: data[0] != binVersion1, v4: data[0] == binVersion}
	rec := &recorder.Record{}
	switch data[0] {
	case binVersion, binVersion3:
		rec.ID = r.code(id)
	case binVersion2:
		rec.ID = r.code("") // in full
	default:
		rec.ID = r.str()
	}
	rec.UserID, rec.TicketID, rec.NodeID = r.s(""), r.s(""), r.s("")
	rec.Status, rec.Reason, rec.Error = recorder.Status(r.s("")), recorder.Reason(r.s("")), r.s("")
	rec.CreatedAt = r.time()
	rec.UpdatedAt = r.t(rec.CreatedAt)
	if n := r.count(); n >= 0 {
		rec.History = make([]recorder.Transition, 0, n)
		prev := recorder.Status("")
		for range n {
			t := recorder.Transition{From: recorder.Status(r.s(string(prev)))}
			t.To = recorder.Status(r.s(string(rec.Status)))
			t.Reason, t.At = recorder.Reason(r.s("")), r.t(rec.CreatedAt)
			rec.History = append(rec.History, t)
			prev = t.To
		}
	}
	if n := r.count(); n >= 0 {
		rec.Attempts = make([]recorder.Attempt, 0, n)
		for range n {
			a := recorder.Attempt{N: int(r.varint())}
			a.At = r.t(rec.CreatedAt)
			a.Err = r.s("")
			rec.Attempts = append(rec.Attempts, a)
		}
	}
	rec.CustomFields = r.jsonMap()
	if n := r.count(); n >= 0 {
		rec.Tags = make([]string, 0, n)
		for range n {
			rec.Tags = append(rec.Tags, r.s(""))
		}
	}
	rec.Extra = r.jsonMap()
	if r.err != nil {
		return nil, r.err
	}
	switch {
	case len(r.b) == 1 && r.b[0] == 0:
	case len(r.b) > 1 && r.b[0] == 1:
		r.b = r.b[1:]
		m, err := r.message(rec)
		if err != nil {
			return nil, err
		}
		if len(r.b) > 0 {
			return nil, errBinary
		}
		rec.Message = m
	default:
		return nil, errBinary
	}
	return rec, nil
}
