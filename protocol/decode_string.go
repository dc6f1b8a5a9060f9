package protocol

import (
	"unicode/utf16"
	"unicode/utf8"
)

// Strings are read here exactly as encoding/json unquotes them, so that the
// fast decoder no longer hands a frame to encoding/json because of one escape
// (real chat text has quotes, newlines and emoji): the eight short escapes,
// \uXXXX with surrogate pairs joined, a lone or unpaired surrogate as U+FFFD,
// and each byte of invalid UTF-8 as U+FFFD. A control character or an unknown
// escape is a syntax error: the parser gives up and Decode's encoding/json
// path produces the error.

// stringValue reads the string at p.i and returns its value. The common
// string (ASCII or valid UTF-8, no escape) costs one scan and one copy.
func (p *fastParser) stringValue() (string, bool) {
	if !p.byte('"') {
		return "", false
	}
	start := p.i
	ascii := true
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			s := p.b[start:p.i]
			if !ascii && !utf8.Valid(s) {
				p.i = start // rewrite from the start: the bad bytes are behind
				return p.unquote(start)
			}
			p.i++
			return string(s), true
		case c == '\\':
			if !ascii {
				p.i = start // the bytes behind may be invalid UTF-8
			}
			return p.unquote(start)
		case c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
		p.i++
	}
	return "", false
}

// unquote finishes a string that needs rewriting in the parser's scratch
// buffer; b[start:p.i] (after the opening quote) is plain ASCII, copied as it
// is.
func (p *fastParser) unquote(start int) (string, bool) {
	if p.scratch == nil { // once per frame that needs it, room for most strings
		p.scratch = make([]byte, 0, max(128, len(p.b)-start))
	}
	p.scratch = append(p.scratch[:0], p.b[start:p.i]...)
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			return string(p.scratch), true
		case c < 0x20:
			return "", false
		case c == '\\':
			if !p.escape() {
				return "", false
			}
		case c < utf8.RuneSelf:
			p.scratch = append(p.scratch, c)
			p.i++
		default:
			r, size := utf8.DecodeRune(p.b[p.i:])
			if r == utf8.RuneError && size == 1 {
				p.badUTF8 = true
			}
			p.scratch = utf8.AppendRune(p.scratch, r)
			p.i += size
		}
	}
	return "", false
}

// escape appends the value of the escape at p.i (a backslash) to scratch.
func (p *fastParser) escape() bool {
	if p.i+1 >= len(p.b) {
		return false
	}
	var c byte
	switch p.b[p.i+1] {
	case '"', '\\', '/':
		c = p.b[p.i+1]
	case 'b':
		c = '\b'
	case 'f':
		c = '\f'
	case 'n':
		c = '\n'
	case 'r':
		c = '\r'
	case 't':
		c = '\t'
	case 'u':
		r := hex4(p.b[p.i+2:])
		if r < 0 {
			return false
		}
		p.i += 6
		if utf16.IsSurrogate(r) {
			// a pair only when a low surrogate follows at once, as in
			// encoding/json; otherwise U+FFFD and the next escape stands alone
			if r2 := p.nextU4(); r2 >= 0 {
				if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
					p.i += 6
					p.scratch = utf8.AppendRune(p.scratch, d)
					return true
				}
			}
			r = utf8.RuneError
		}
		p.scratch = utf8.AppendRune(p.scratch, r)
		return true
	default:
		return false
	}
	p.scratch = append(p.scratch, c)
	p.i += 2
	return true
}

// nextU4 is the code unit of a \uXXXX escape at p.i, or -1 if none is there.
func (p *fastParser) nextU4() rune {
	if p.i+1 < len(p.b) && p.b[p.i] == '\\' && p.b[p.i+1] == 'u' {
		return hex4(p.b[p.i+2:])
	}
	return -1
}

// hex4 reads four hex digits, -1 if b does not start with them.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// skipString passes over a string, checking what encoding/json's scanner
// checks: no control characters, only known escapes, four hex digits after \u
// (any other byte, invalid UTF-8 included, is accepted as it is there).
func (p *fastParser) skipString() bool {
	if !p.byte('"') {
		return false
	}
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			return true
		case c < 0x20:
			return false
		case c == '\\':
			if p.i+1 >= len(p.b) {
				return false
			}
			switch p.b[p.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.i += 2
			case 'u':
				if hex4(p.b[p.i+2:]) < 0 {
					return false
				}
				p.i += 6
			default:
				return false
			}
			continue
		}
		p.i++
	}
	return false
}
