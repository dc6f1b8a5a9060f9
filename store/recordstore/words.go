package recordstore

import "encoding/binary"

// The second binary encoding (binVersion2) and the third (binVersion) write
// a string as a code, one byte for the usual ones: 0 the empty string, 1 the
// same as a string the reader already has (in the third, a record's id is
// the store's key; a message's id is its record's, its receiver the
// record's user, a transition's From the previous one's To, its To the
// record's status), 2+2k the k-th of words, 3+2n a string of n bytes that
// follow. A time is 0 (zero), 1 (the same instant as the record's
// CreatedAt) or 2 and the time in full. A record made and delivered at once
// (every message of bench/'s alone-p2p) took 245 bytes in the first
// encoding, about 160 in the second (136 for a 22-byte id), one byte and
// not the id in the third (114), and one byte for the message's time in the
// fourth when the hub stamped it with its record's instant (105); the disk
// writes every record, so every byte of it is written once per message
// (store/recordstore BenchmarkP2P).

// words are the statuses, reasons and protocol names records repeat. On
// disk: append to the end only, never reorder or remove.
var words = []string{
	// recorder statuses
	"pending", "sending", "success", "failed", "retrying", "ack_timeout", "user_offline", "expired",
	// recorder reasons (the others are statuses too)
	"queue_full", "conn_error", "send_timeout", "network_error", "unknown", "max_retry",
	// protocol message types
	"text", "image", "file", "audio", "video", "system", "notice", "event", "ack",
	"ping", "pong", "welcome", "error", "close", "session", "refresh",
	// protocol message statuses and priorities
	"sent", "delivered", "read", "low", "normal", "high", "urgent", "critical",
}

// wordOf is words' inverse, as a switch: the map it replaced was most of a
// record's encoding (a lookup for each status, type and priority: 70% of
// appendBinary under alone-p2p, pprof). TestWordsAndWordOfAgree keeps the
// two in step.
func wordOf(s string) (int, bool) {
	switch s {
	case "pending":
		return 0, true
	case "sending":
		return 1, true
	case "success":
		return 2, true
	case "failed":
		return 3, true
	case "retrying":
		return 4, true
	case "ack_timeout":
		return 5, true
	case "user_offline":
		return 6, true
	case "expired":
		return 7, true
	case "queue_full":
		return 8, true
	case "conn_error":
		return 9, true
	case "send_timeout":
		return 10, true
	case "network_error":
		return 11, true
	case "unknown":
		return 12, true
	case "max_retry":
		return 13, true
	case "text":
		return 14, true
	case "image":
		return 15, true
	case "file":
		return 16, true
	case "audio":
		return 17, true
	case "video":
		return 18, true
	case "system":
		return 19, true
	case "notice":
		return 20, true
	case "event":
		return 21, true
	case "ack":
		return 22, true
	case "ping":
		return 23, true
	case "pong":
		return 24, true
	case "welcome":
		return 25, true
	case "error":
		return 26, true
	case "close":
		return 27, true
	case "session":
		return 28, true
	case "refresh":
		return 29, true
	case "sent":
		return 30, true
	case "delivered":
		return 31, true
	case "read":
		return 32, true
	case "low":
		return 33, true
	case "normal":
		return 34, true
	case "high":
		return 35, true
	case "urgent":
		return 36, true
	case "critical":
		return 37, true
	}
	return 0, false
}

// appendRef appends s, as a reference when it equals ref.
func appendRef(b []byte, s, ref string) []byte {
	switch {
	case s == "":
		return append(b, 0)
	case s == ref:
		return append(b, 1)
	}
	return appendLit(b, s)
}

// appendWord appends s, as a reference or one of words when it is.
func appendWord(b []byte, s, ref string) []byte {
	if s == "" || s == ref {
		return appendRef(b, s, ref)
	}
	if k, ok := wordOf(s); ok {
		return binary.AppendUvarint(b, uint64(2+2*k))
	}
	return appendLit(b, s)
}

// appendLit appends s as a string of its own.
func appendLit(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, 3+2*uint64(len(s))), s...)
}

// code reads a string appendRef, appendWord or appendLit wrote.
func (r *binReader) code(ref string) string {
	x := r.uvarint()
	switch {
	case r.err != nil || x == 0:
		return ""
	case x == 1:
		return ref
	case x%2 == 0:
		if k := (x - 2) / 2; k < uint64(len(words)) {
			return words[k]
		}
		r.fail()
		return ""
	}
	n := (x - 3) / 2
	if n > uint64(len(r.b)) {
		r.fail()
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}
