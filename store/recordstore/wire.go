package recordstore

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/go-wsc/go-wsc/actors/recorder"
)

// appendRecord appends rec's encoding (wire, without the message and the
// closing brace, which encode adds) as encoding/json writes it: the same fields, order and escapes, so that
// decode reads it and files written before it was there read the same. By
// hand because the writer encodes every record it writes, on the path every
// message takes with records on: json.Marshal's reflection was 8% of the
// server's CPU on the ACK workload. The custom fields and extras (any
// values) go through json.Marshal.
func appendRecord(b []byte, rec *recorder.Record) ([]byte, error) {
	b = append(b, `{"ID":`...)
	b = appendString(b, rec.ID)
	b = append(b, `,"UserID":`...)
	b = appendString(b, rec.UserID)
	b = append(b, `,"TicketID":`...)
	b = appendString(b, rec.TicketID)
	b = append(b, `,"NodeID":`...)
	b = appendString(b, rec.NodeID)
	b = append(b, `,"Status":`...)
	b = appendString(b, string(rec.Status))
	b = append(b, `,"Reason":`...)
	b = appendString(b, string(rec.Reason))
	b = append(b, `,"Error":`...)
	b = appendString(b, rec.Error)
	b = append(b, `,"CreatedAt":`...)
	b, err := appendTime(b, rec.CreatedAt)
	if err != nil {
		return nil, err
	}
	b = append(b, `,"UpdatedAt":`...)
	if b, err = appendTime(b, rec.UpdatedAt); err != nil {
		return nil, err
	}
	b = append(b, `,"History":`...)
	if rec.History == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, t := range rec.History {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"From":`...)
			b = appendString(b, string(t.From))
			b = append(b, `,"To":`...)
			b = appendString(b, string(t.To))
			b = append(b, `,"Reason":`...)
			b = appendString(b, string(t.Reason))
			b = append(b, `,"At":`...)
			if b, err = appendTime(b, t.At); err != nil {
				return nil, err
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"Attempts":`...)
	if rec.Attempts == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, a := range rec.Attempts {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"N":`...)
			b = strconv.AppendInt(b, int64(a.N), 10)
			b = append(b, `,"At":`...)
			if b, err = appendTime(b, a.At); err != nil {
				return nil, err
			}
			b = append(b, `,"Err":`...)
			b = appendString(b, a.Err)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"CustomFields":`...)
	if b, err = appendAny(b, rec.CustomFields); err != nil {
		return nil, err
	}
	b = append(b, `,"Tags":`...)
	if rec.Tags == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, t := range rec.Tags {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, t)
		}
		b = append(b, ']')
	}
	b = append(b, `,"Extra":`...)
	return appendAny(b, rec.Extra)
}

// appendAny is json.Marshal of v (a map of any values: rare, and anything).
func appendAny(b []byte, v map[string]any) ([]byte, error) {
	if v == nil {
		return append(b, "null"...), nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, data...), nil
}

// appendTime is time.Time's MarshalJSON, without its allocation for the
// usual years (it refuses the others, as MarshalJSON does).
func appendTime(b []byte, t time.Time) ([]byte, error) {
	if y := t.Year(); y < 0 || y > 9999 {
		data, err := t.MarshalJSON()
		if err != nil {
			return nil, err
		}
		return append(b, data...), nil
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), nil
}

const hexDigits = "0123456789abcdef"

// appendString is encoding/json's string encoding with its default HTML
// escaping: ", \ and control characters escaped, <, > and & as \u003c…,
// U+2028 and U+2029 escaped, invalid UTF-8 as U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
