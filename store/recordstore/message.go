package recordstore

import (
	"encoding/binary"
	"encoding/json"
	"time"

	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/protocol"
)

// A record's message in the binary encoding: its fields as they are, where
// protocol.Encode (which the JSON records used) scans every string for
// escapes and formats the time, 40% of a record's encoding on alone-p2p.
//
// Layout: the strings ID, Type, From, To, TicketID, Content, MsgID,
// Priority, ReplyToMsgID, Status, MessageID and Error (codes, words.go: ID,
// To and TicketID refer to the record's ID, UserID and TicketID; in the first
// encoding, uvarint(len) and the bytes); CreateAt (a time code, 1 for the
// record's CreatedAt, in the fourth encoding, a time before; then
// varint(its zone's offset in seconds)); varint(SeqNo), varint(Code), one byte
// RequireAck; then the data object's JSON as a string (empty when Data is
// empty): its raw bytes as they came (protocol.Message.RawData, exact
// numbers kept), else json.Marshal's. messageFields (message_test.go) fails
// when protocol.Message gains a field this does not write.

// appendMessage appends m, the message of rec.
func appendMessage(b []byte, m *protocol.Message, rec *recorder.Record) ([]byte, error) {
	b = appendRef(b, m.ID, rec.ID)
	b = appendWord(b, string(m.Type), "")
	b = appendRef(b, m.From, "")
	b = appendRef(b, m.To, rec.UserID)
	b = appendRef(b, m.TicketID, rec.TicketID)
	b = appendRef(b, m.Content, "")
	b = appendRef(b, m.MsgID, "")
	b = appendWord(b, string(m.Priority), "")
	b = appendRef(b, m.ReplyToMsgID, "")
	b = appendWord(b, string(m.Status), "")
	b = appendRef(b, m.MessageID, "")
	b = appendRef(b, m.Error, "")
	b = appendTimeRef(b, m.CreateAt, rec.CreatedAt)
	_, offset := m.CreateAt.Zone()
	b = binary.AppendVarint(b, int64(offset))
	b = binary.AppendVarint(b, m.SeqNo)
	b = binary.AppendVarint(b, int64(m.Code))
	if m.RequireAck {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	if raw := m.RawData(); raw != nil {
		return append(binary.AppendUvarint(b, uint64(len(raw))), raw...), nil
	}
	if len(m.Data) == 0 {
		return append(b, 0), nil
	}
	data, err := json.Marshal(m.Data)
	if err != nil {
		return nil, err
	}
	return append(binary.AppendUvarint(b, uint64(len(data))), data...), nil
}

// message reads what appendMessage wrote: the message of rec (whose ID,
// UserID and TicketID are read).
func (r *binReader) message(rec *recorder.Record) (*protocol.Message, error) {
	var f [12]string
	for i := range f {
		ref := ""
		switch i {
		case 0:
			ref = rec.ID
		case 3:
			ref = rec.UserID
		case 4:
			ref = rec.TicketID
		}
		f[i] = r.s(ref)
	}
	var at time.Time
	if r.v4 {
		at = r.t(rec.CreatedAt)
	} else {
		at = r.time()
	}
	offset := r.varint()
	seq, code := r.varint(), r.varint()
	if r.err != nil || len(r.b) == 0 || r.b[0] > 1 || offset < -86400 || offset > 86400 {
		return nil, errBinary
	}
	requireAck := r.b[0] == 1
	r.b = r.b[1:]
	data := r.bytes()
	if r.err != nil {
		return nil, r.err
	}
	m := &protocol.Message{}
	if len(data) > 0 { // Decode reads the data as it reads a frame's: exact numbers, raw bytes kept
		var err error
		if m, err = protocol.Decode(append(append([]byte(`{"data":`), data...), '}')); err != nil {
			return nil, err
		}
	}
	m.ID, m.Type, m.From, m.To, m.TicketID, m.Content, m.MsgID = f[0], protocol.MessageType(f[1]), f[2], f[3], f[4], f[5], f[6]
	m.Priority, m.ReplyToMsgID, m.Status, m.MessageID, m.Error = protocol.Priority(f[7]), f[8], protocol.MessageStatus(f[9]), f[10], f[11]
	switch {
	case at.IsZero():
	case offset == 0:
		at = at.UTC()
	default:
		if _, local := at.Zone(); int64(local) != offset {
			at = at.In(time.FixedZone("", int(offset)))
		}
	}
	m.CreateAt, m.SeqNo, m.Code, m.RequireAck = at, seq, int(code), requireAck
	if err := protocol.Validate(m); err != nil {
		return nil, err
	}
	return m, nil
}
