package ws

import (
	"encoding/binary"

	"github.com/go-wsc/go-wsc/actors/session"
)

// WebSocket frames from a server are unmasked (RFC 6455, 5.1), so the writer
// frames them itself: that lets it put many frames in one write. gorilla still
// does the handshake and all the reading.

const (
	opText  = 0x1
	opClose = 0x8
	opPing  = 0x9
	opPong  = 0xA
	finBit  = 0x80

	maxHeader = 10 // 2 bytes, then a 64-bit length: payloads over 65535 bytes
)

// appendFrame appends one final frame with opcode op and payload p.
func appendFrame(b []byte, op byte, p []byte) []byte {
	return append(appendHeader(b, op, len(p)), p...)
}

// frameText is the text frame of p in a buffer of its own, allocated once
// (maxHeader: the longest header); a frame shared by many connections is
// framed so once.
func frameText(p []byte) []byte {
	return appendFrame(make([]byte, 0, len(p)+maxHeader), opText, p)
}

// appendArray appends one text frame whose payload is the JSON array of the
// frames' messages, in order (size: the sum of their lengths).
func appendArray(b []byte, frames []*session.Frame, size int) []byte {
	b = appendHeader(b, opText, size+len(frames)+1) // the brackets and the commas
	b = append(b, '[')
	for i, f := range frames {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, f.Data...)
	}
	return append(b, ']')
}

// appendHeader appends the header of one final frame with opcode op and a
// payload of n bytes.
func appendHeader(b []byte, op byte, n int) []byte {
	b = append(b, finBit|op)
	switch {
	case n <= 125:
		b = append(b, byte(n))
	case n <= 0xFFFF:
		b = append(b, 126, 0, 0)
		binary.BigEndian.PutUint16(b[len(b)-2:], uint16(n))
	default:
		b = append(b, 127, 0, 0, 0, 0, 0, 0, 0, 0)
		binary.BigEndian.PutUint64(b[len(b)-8:], uint64(n))
	}
	return b
}

// closePayload is a close frame's payload: the code, then the reason, cut to
// fit a control frame (125 bytes).
func closePayload(code int, text string) []byte {
	p := binary.BigEndian.AppendUint16(make([]byte, 0, 2+len(text)), uint16(code))
	p = append(p, text...)
	return p[:min(len(p), 125)]
}
