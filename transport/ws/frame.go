package ws

import "encoding/binary"

// WebSocket frames from a server are unmasked (RFC 6455, 5.1), so the writer
// frames them itself: that lets it put many frames in one write. gorilla still
// does the handshake and all the reading.

const (
	opText  = 0x1
	opClose = 0x8
	opPing  = 0x9
	opPong  = 0xA
	finBit  = 0x80
)

// appendFrame appends one final frame with opcode op and payload p.
func appendFrame(b []byte, op byte, p []byte) []byte {
	b = append(b, finBit|op)
	switch n := len(p); {
	case n <= 125:
		b = append(b, byte(n))
	case n <= 0xFFFF:
		b = append(b, 126, 0, 0)
		binary.BigEndian.PutUint16(b[len(b)-2:], uint16(n))
	default:
		b = append(b, 127, 0, 0, 0, 0, 0, 0, 0, 0)
		binary.BigEndian.PutUint64(b[len(b)-8:], uint64(n))
	}
	return append(b, p...)
}

// closePayload is a close frame's payload: the code, then the reason, cut to
// fit a control frame (125 bytes).
func closePayload(code int, text string) []byte {
	p := binary.BigEndian.AppendUint16(make([]byte, 0, 2+len(text)), uint16(code))
	p = append(p, text...)
	if len(p) > 125 {
		p = p[:125]
	}
	return p
}
