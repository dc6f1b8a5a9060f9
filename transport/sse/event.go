package sse

import (
	"bytes"
	"strings"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// pingComment is the heartbeat: a comment line, which EventSource ignores.
var pingComment = []byte(": ping\n\n")

// appendEvent appends one event: an id line (when id is set and can be carried
// by one), an event line, the data (one data line per line of data, though a
// JSON frame has one) and the blank line that dispatches the event.
func appendEvent(b []byte, id, event string, data []byte) []byte {
	if id != "" && !strings.ContainsAny(id, "\r\n\x00") {
		b = append(b, "id: "...)
		b = append(b, id...)
		b = append(b, '\n')
	}
	if event != "" && !strings.ContainsAny(event, "\r\n") {
		b = append(b, "event: "...)
		b = append(b, event...)
		b = append(b, '\n')
	}
	for {
		i := bytes.IndexAny(data, "\r\n")
		if i < 0 {
			break
		}
		b = append(b, "data: "...)
		b = append(b, data[:i]...)
		b = append(b, '\n')
		if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
			i++
		}
		data = data[i+1:]
	}
	b = append(b, "data: "...)
	b = append(b, data...)
	return append(b, '\n', '\n')
}

// appendFrame appends f as an event. Only user and ticket messages carry an
// id line: those are what the hub can resume after (Last-Event-ID).
func appendFrame(b []byte, f *session.Frame) []byte {
	m := f.Msg
	id := ""
	if m.Type.IsContent() && (m.To != "" || m.TicketID != "") {
		id = m.ID
	}
	return appendEvent(b, id, string(m.Type), f.Data)
}

// sessionEvent is the first event of a stream.
func sessionEvent(id string) []byte {
	return appendEvent(nil, "", string(protocol.TypeSession), []byte(`{"session":"`+id+`"}`))
}

// closeEvent is the last event of a stream the server ends.
func closeEvent(code int, text string) []byte {
	data, err := protocol.Encode(protocol.NewClose(code, text))
	if err != nil { // a zero CreateAt always encodes; keep the code anyway
		data = []byte(`{"type":"close"}`)
	}
	return appendEvent(nil, "", string(protocol.TypeClose), data)
}
