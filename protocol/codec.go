package protocol

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// Encode returns the JSON frame of m. It is hand-written (not reflection) because
// it runs once per message on the hub's hot path. Data is written as its raw
// bytes when it came from Decode unchanged (RawData), else through
// encoding/json. The output decodes with encoding/json to an equal Message.
func Encode(m *Message) ([]byte, error) {
	return AppendEncode(make([]byte, 0, 192+len(m.Content)), m)
}

// AppendEncode appends the JSON frame of m to dst.
func AppendEncode(dst []byte, m *Message) ([]byte, error) {
	if y := m.CreateAt.Year(); y < 0 || y > 9999 {
		return dst, decodeErr(ErrInvalidField, "create_at", "year outside [0,9999]")
	}
	b := append(dst, `{"id":`...)
	b = appendString(b, m.ID)
	b = append(b, `,"type":`...)
	b = appendString(b, string(m.Type))
	b = append(b, `,"from":`...)
	b = appendString(b, m.From)
	b = append(b, `,"to":`...)
	b = appendString(b, m.To)
	if m.TicketID != "" {
		b = append(b, `,"ticket_id":`...)
		b = appendString(b, m.TicketID)
	}
	b = append(b, `,"content":`...)
	b = appendString(b, m.Content)
	if m.rawCurrent() {
		b = append(b, `,"data":`...)
		b = append(b, m.raw.bytes...)
	} else if len(m.Data) > 0 {
		data, err := json.Marshal(m.Data)
		if err != nil {
			return dst, decodeErr(ErrInvalidField, "data", err.Error())
		}
		b = append(b, `,"data":`...)
		b = append(b, data...)
	}
	b = append(b, `,"create_at":"`...)
	b = m.CreateAt.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","msg_id":`...)
	b = appendString(b, m.MsgID)
	b = append(b, `,"seq_no":`...)
	b = strconv.AppendInt(b, m.SeqNo, 10)
	b = append(b, `,"priority":`...)
	b = appendString(b, string(m.Priority))
	if m.ReplyToMsgID != "" {
		b = append(b, `,"reply_to_msg_id":`...)
		b = appendString(b, m.ReplyToMsgID)
	}
	b = append(b, `,"status":`...)
	b = appendString(b, string(m.Status))
	if m.RequireAck {
		b = append(b, `,"require_ack":true`...)
	}
	if m.MessageID != "" {
		b = append(b, `,"message_id":`...)
		b = appendString(b, m.MessageID)
	}
	if m.Code != 0 {
		b = append(b, `,"code":`...)
		b = strconv.AppendInt(b, int64(m.Code), 10)
	}
	if m.Error != "" {
		b = append(b, `,"error":`...)
		b = appendString(b, m.Error)
	}
	return append(b, '}'), nil
}

// Decode parses one frame. Bad input gives a *DecodeError (errors.Is
// ErrInvalidFrame); it never panics. A frame without type is a text message;
// unknown keys are ignored. Frames are read without reflection (decodeFast);
// the rare rest, and every error, by encoding/json (decodeSlow). The message
// and the error keep nothing of data: the caller may reuse it.
func Decode(data []byte) (*Message, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, decodeErr(ErrEmptyFrame, "", "")
	}
	m := new(Message)
	if !decodeFast(data, m) {
		var err error
		if m, err = decodeSlow(data); err != nil {
			return nil, err
		}
	}
	if err := Validate(m); err != nil {
		return nil, err
	}
	return m, nil
}

// Validate checks the enum values of m and the keys its type requires, and sets
// an empty type to text. Decode calls it; servers call it on messages that did
// not come through Decode.
func Validate(m *Message) error {
	if m.Type == "" {
		m.Type = TypeText
	}
	if !m.Type.IsValid() {
		return decodeErr(ErrUnknownType, "type", strconv.Quote(string(m.Type)))
	}
	if m.Priority != "" && !m.Priority.IsValid() {
		return decodeErr(ErrInvalidField, "priority", strconv.Quote(string(m.Priority)))
	}
	if m.Type == TypeAck {
		if m.MessageID == "" {
			return decodeErr(ErrMissingField, "message_id", "an ack names the message it confirms")
		}
		if s := m.AckStatus(); s != AckConfirmed && s != AckFailed {
			return decodeErr(ErrInvalidField, "status", strconv.Quote(string(m.Status)))
		}
	}
	return nil
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaping as encoding/json does
// (without its HTML escaping): quotes, backslashes, control characters,
// U+2028/U+2029, and invalid UTF-8 as U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
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
