package protocol

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// decodeFast parses a frame without reflection: one JSON object, strings with
// or without escapes (decode_string.go), data with exact numbers
// (decode_data.go), null where encoding/json allows it. It gives up (ok false)
// at what it is not sure to read exactly as decodeSlow would — a key with an
// escape or invalid UTF-8, a key that differs from a known one only by case,
// an escape in create_at, data nested deeper than 64, anything malformed — and
// Decode then uses decodeSlow (encoding/json), which also produces the errors.
// FuzzDecodeFast holds the two to the same result.
func decodeFast(data []byte, m *Message) (ok bool) {
	p := fastParser{b: data}
	p.space()
	if !p.byte('{') {
		return false
	}
	p.space()
	if p.byte('}') {
		return p.end()
	}
	for {
		p.space()
		key, ok := p.plainBytes()
		if !ok {
			return false
		}
		p.space()
		if !p.byte(':') {
			return false
		}
		p.space()
		if !p.field(m, key) {
			return false
		}
		p.space()
		if p.byte(',') {
			continue
		}
		if p.byte('}') {
			return p.end()
		}
		return false
	}
}

type fastParser struct {
	b       []byte
	i       int
	scratch []byte // unescaped string being built
	badUTF8 bool   // a string since the last reset held invalid UTF-8
}

func (p *fastParser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *fastParser) byte(c byte) bool {
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// end: nothing but white space may follow the object.
func (p *fastParser) end() bool {
	p.space()
	return p.i == len(p.b)
}

// plainBytes reads a string without escapes, of valid UTF-8 and no control
// characters, without a copy (for keys: a switch on string(key) does not
// allocate).
func (p *fastParser) plainBytes() ([]byte, bool) {
	if !p.byte('"') {
		return nil, false
	}
	start := p.i
	ascii := true
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			s := p.b[start:p.i]
			p.i++
			if !ascii && !utf8.Valid(s) {
				return nil, false
			}
			return s, true
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
		p.i++
	}
	return nil, false
}

// field reads the value of key into m. null leaves a field as it is, as with
// encoding/json (data excepted: null empties it).
func (p *fastParser) field(m *Message, key []byte) bool {
	var s *string
	switch string(key) {
	case "id":
		s = &m.ID
	case "type":
		return p.enum((*string)(&m.Type), typeNames)
	case "from":
		s = &m.From
	case "to":
		s = &m.To
	case "ticket_id":
		s = &m.TicketID
	case "content":
		s = &m.Content
	case "msg_id":
		s = &m.MsgID
	case "priority":
		return p.enum((*string)(&m.Priority), priorityNames)
	case "reply_to_msg_id":
		s = &m.ReplyToMsgID
	case "status":
		return p.enum((*string)(&m.Status), statusNames)
	case "message_id":
		s = &m.MessageID
	case "error":
		s = &m.Error
	case "seq_no":
		return p.integer(64, &m.SeqNo)
	case "code":
		n := int64(m.Code)
		ok := p.integer(strconv.IntSize, &n)
		m.Code = int(n)
		return ok
	case "require_ack":
		return p.boolean(&m.RequireAck)
	case "create_at":
		if p.literal("null") {
			return true
		}
		start := p.i
		if _, ok := p.plainBytes(); !ok {
			return false
		}
		return m.CreateAt.UnmarshalJSON(p.b[start:p.i]) == nil
	case "data":
		return p.data(m)
	default:
		if knownKeyFold(key) {
			return false // encoding/json matches keys case-insensitively
		}
		return p.skip(0)
	}
	return p.str(s)
}

func (p *fastParser) str(dst *string) bool {
	if p.literal("null") {
		return true
	}
	v, ok := p.stringValue()
	if ok {
		*dst = v
	}
	return ok
}

// enum reads a string that is usually one of known, the protocol's values for
// the key: one of those is taken from the list, without allocating a copy;
// anything else is read as any string.
func (p *fastParser) enum(dst *string, known []string) bool {
	start := p.i
	if b, ok := p.plainBytes(); ok {
		for _, k := range known {
			if string(b) == k {
				*dst = k
				return true
			}
		}
		*dst = string(b)
		return true
	}
	p.i = start
	return p.str(dst) // null, escapes, invalid UTF-8
}

// The values enum knows, per key.
var (
	typeNames = []string{string(TypeText), string(TypeImage), string(TypeFile), string(TypeAudio), string(TypeVideo),
		string(TypeSystem), string(TypeNotice), string(TypeEvent), string(TypeAck), string(TypePing), string(TypePong),
		string(TypeWelcome), string(TypeError), string(TypeClose), string(TypeSession), string(TypeRefresh)}
	priorityNames = []string{string(PriorityNormal), string(PriorityLow), string(PriorityHigh), string(PriorityUrgent), string(PriorityCritical)}
	statusNames   = []string{string(StatusSent), string(StatusPending), string(StatusDelivered), string(StatusRead),
		string(StatusFailed), string(AckConfirmed)}
)

// integer reads a plain integer literal that fits bits; null is ok and leaves
// the field as it was (ok with null true).
func (p *fastParser) integer(bits int, dst *int64) bool {
	if p.literal("null") {
		return true
	}
	start := p.i
	if p.i < len(p.b) && p.b[p.i] == '-' {
		p.i++
	}
	digits := p.i
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		p.i++
	}
	if p.i == digits || (p.b[digits] == '0' && p.i-digits > 1) {
		return false
	}
	if p.i < len(p.b) && (p.b[p.i] == '.' || p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		return false
	}
	n, err := strconv.ParseInt(string(p.b[start:p.i]), 10, bits)
	if err != nil {
		return false
	}
	*dst = n
	return true
}

func (p *fastParser) boolean(dst *bool) bool {
	switch {
	case p.literal("null"):
	case bytes.HasPrefix(p.b[p.i:], []byte("true")):
		p.i += 4
		*dst = true
	case bytes.HasPrefix(p.b[p.i:], []byte("false")):
		p.i += 5
		*dst = false
	default:
		return false
	}
	return true
}

// skip passes over one JSON value; it accepts only what is surely valid.
func (p *fastParser) skip(depth int) bool {
	if depth > 64 || p.i >= len(p.b) {
		return false
	}
	switch c := p.b[p.i]; {
	case c == '"':
		return p.skipString()
	case c == '{' || c == '[':
		closer := byte('}')
		if c == '[' {
			closer = ']'
		}
		p.i++
		p.space()
		if p.byte(closer) {
			return true
		}
		for {
			p.space()
			if c == '{' {
				if !p.skipString() {
					return false
				}
				p.space()
				if !p.byte(':') {
					return false
				}
				p.space()
			}
			if !p.skip(depth + 1) {
				return false
			}
			p.space()
			if p.byte(',') {
				continue
			}
			return p.byte(closer)
		}
	case c == 't':
		return p.literal("true")
	case c == 'f':
		return p.literal("false")
	case c == 'n':
		return p.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	return false // anything else: encoding/json says what is wrong
}

func (p *fastParser) literal(word string) bool {
	if bytes.HasPrefix(p.b[p.i:], []byte(word)) {
		p.i += len(word)
		return true
	}
	return false
}

// number passes over a JSON number (RFC 8259 grammar).
func (p *fastParser) number() bool {
	p.byte('-')
	switch {
	case p.byte('0'):
	case p.i < len(p.b) && p.b[p.i] >= '1' && p.b[p.i] <= '9':
		p.digits()
	default:
		return false
	}
	if p.byte('.') && !p.digits() {
		return false
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i++
		if !p.byte('+') {
			p.byte('-')
		}
		if !p.digits() {
			return false
		}
	}
	return true
}

func (p *fastParser) digits() bool {
	start := p.i
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		p.i++
	}
	return p.i > start
}

var knownKeys = []string{"id", "type", "from", "to", "ticket_id", "content", "data", "create_at", "msg_id",
	"seq_no", "priority", "reply_to_msg_id", "status", "require_ack", "message_id", "code", "error"}

func knownKeyFold(key []byte) bool {
	for _, k := range knownKeys {
		if bytes.EqualFold([]byte(k), key) {
			return true
		}
	}
	return false
}
