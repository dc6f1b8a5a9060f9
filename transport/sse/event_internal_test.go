package sse

import (
	"testing"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
)

func TestAppendEvent(t *testing.T) {
	for _, tc := range []struct {
		name, id, event, data, want string
	}{
		{"frame", "m1", "text", `{"a":1}`, "id: m1\nevent: text\ndata: {\"a\":1}\n\n"},
		{"no id", "", "pong", `{}`, "event: pong\ndata: {}\n\n"},
		{"lines of data", "", "x", "a\nb\r\nc\rd", "event: x\ndata: a\ndata: b\ndata: c\ndata: d\n\n"},
		{"an id no line can carry", "m\n1", "x", "{}", "event: x\ndata: {}\n\n"},
		{"empty data", "", "x", "", "event: x\ndata: \n\n"},
	} {
		assert.Equal(t, tc.want, string(appendEvent(nil, tc.id, tc.event, []byte(tc.data))), tc.name)
	}
}

func TestOnlyResumableFramesCarryAnID(t *testing.T) {
	frame := func(m *protocol.Message) *session.Frame {
		data, err := protocol.Encode(m)
		assert.NoError(t, err)
		return &session.Frame{Msg: m, Data: data}
	}
	for _, tc := range []struct {
		name  string
		m     *protocol.Message
		hasID bool
	}{
		{"to a user", &protocol.Message{ID: "1", Type: protocol.TypeText, To: "u"}, true},
		{"to a ticket", &protocol.Message{ID: "2", Type: protocol.TypeNotice, TicketID: "T"}, true},
		{"broadcast", &protocol.Message{ID: "3", Type: protocol.TypeNotice}, false},
		{"welcome", &protocol.Message{ID: "4", Type: protocol.TypeWelcome, To: "u"}, false},
		{"error", protocol.NewError(protocol.CodeInvalidFrame, "wsc: x", "5"), false},
	} {
		ev := string(appendFrame(nil, frame(tc.m)))
		assert.Equal(t, tc.hasID, len(ev) > 4 && ev[:4] == "id: ", "%s: %q", tc.name, ev)
	}
	assert.Equal(t, "event: session\ndata: {\"session\":\"S1\"}\n\n", string(sessionEvent("S1")))
	assert.Contains(t, string(closeEvent(1001, "server going away")), `"code":1001`)
}
