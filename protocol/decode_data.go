package protocol

import (
	"bytes"
	"encoding/json"
)

// The data key. Its value (an object, or null) is read here into Message.Data
// with every number as a json.Number (its exact text: 9007199254740993 stays
// 9007199254740993), and its bytes are kept, compacted, as the message's raw
// data, which Encode writes back as they came. So the hub passes a client's
// data through untouched and never runs encoding/json on it.

// maxDataDepth bounds the nesting the fast reader follows; deeper data goes
// to encoding/json (which allows 10,000 levels).
const maxDataDepth = 64

// data reads the value of the data key into m. A repeated data key replaces
// the earlier one, as any repeated key does.
func (p *fastParser) data(m *Message) bool {
	if p.literal("null") {
		m.Data, m.raw = nil, rawData{}
		return true
	}
	if p.i >= len(p.b) || p.b[p.i] != '{' {
		return false // encoding/json names the type error
	}
	start := p.i
	p.badUTF8 = false
	v, ok := p.value(0)
	if !ok {
		return false
	}
	m.Data = v.(map[string]any)
	m.setRaw(p.b[start:p.i], !p.badUTF8)
	return true
}

// value reads any JSON value: objects as map[string]any, arrays as []any,
// numbers as json.Number, as encoding/json does with UseNumber.
func (p *fastParser) value(depth int) (any, bool) {
	if depth > maxDataDepth || p.i >= len(p.b) {
		return nil, false
	}
	switch c := p.b[p.i]; {
	case c == '"':
		return p.stringValue()
	case c == '{':
		return p.objectValue(depth)
	case c == '[':
		return p.arrayValue(depth)
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		start := p.i
		if !p.number() {
			return nil, false
		}
		return json.Number(p.b[start:p.i]), true
	}
	return nil, false
}

func (p *fastParser) objectValue(depth int) (any, bool) {
	p.i++ // {
	obj := make(map[string]any)
	p.space()
	if p.byte('}') {
		return obj, true
	}
	for {
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			return nil, false
		}
		key, ok := p.stringValue()
		if !ok {
			return nil, false
		}
		p.space()
		if !p.byte(':') {
			return nil, false
		}
		p.space()
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		obj[key] = v
		p.space()
		if p.byte(',') {
			continue
		}
		return obj, p.byte('}')
	}
}

func (p *fastParser) arrayValue(depth int) (any, bool) {
	p.i++ // [
	arr := []any{}
	p.space()
	if p.byte(']') {
		return arr, true
	}
	for {
		p.space()
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		arr = append(arr, v)
		p.space()
		if p.byte(',') {
			continue
		}
		return arr, p.byte(']')
	}
}

// setRaw keeps raw (the data object as received), compacted, as m's raw data
// for Data. Data holding invalid UTF-8 keeps none: Encode then writes Data,
// where encoding/json made each bad byte U+FFFD, so no frame on the wire is
// invalid UTF-8 (a browser fails a WebSocket on that).
func (m *Message) setRaw(raw []byte, validUTF8 bool) {
	m.raw = rawData{}
	if validUTF8 {
		m.raw = rawData{bytes: compact(raw), of: m.Data, keys: len(m.Data)}
	}
}

// compact copies a valid JSON value without the white space between tokens
// (no raw newline then reaches an SSE data line, and no byte is wasted).
func compact(raw []byte) []byte {
	if !bytes.ContainsAny(raw, " \t\r\n") {
		return bytes.Clone(raw)
	}
	out := make([]byte, 0, len(raw))
	inString := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case inString:
			out = append(out, c)
			if c == '\\' && i+1 < len(raw) {
				i++
				out = append(out, raw[i])
			} else if c == '"' {
				inString = false
			}
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		default:
			out = append(out, c)
			inString = c == '"'
		}
	}
	return out
}
