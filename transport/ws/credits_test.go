package ws_test

import (
	"fmt"
	"testing"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/stretchr/testify/assert"
)

// A connection holds at most a few dozen inbound frames in the actors (its
// credits); every way a frame can end must give its credit back, or the
// reader would stop for good. Each case sends far more frames than there are
// credits, and expects an answer to every one.
func TestEveryInboundFrameGivesItsCreditBack(t *testing.T) {
	// room for every answer: this test is about credits, not slow consumers
	e := newEnv(t, hub.Config{MessageBufferSize: 1024}, ws.Options{})
	sender, receiver := e.dial(t, "user_id=flood"), e.dial(t, "user_id=sink")
	e.waitConns(t, 2)
	const n = 300
	cases := []struct {
		name  string
		frame func(i int) string
		on    func(m *protocol.Message) bool // the answer expected, read from the right connection
		from  bool                           // the answer comes back to the sender
	}{
		{"routed by the hub", func(i int) string { return fmt.Sprintf(`{"to":"sink","content":"%d"}`, i) },
			func(m *protocol.Message) bool { return m.From == "flood" }, false},
		{"answered by the session", func(int) string { return `{"type":"ping"}` },
			func(m *protocol.Message) bool { return m.Type == protocol.TypePong }, true},
		{"refused by the session", func(int) string { return `{not json` },
			func(m *protocol.Message) bool { return m.Code == protocol.CodeInvalidFrame }, true},
		{"refused by the hub", func(int) string { return `{"ticket_id":"nowhere","content":"x"}` },
			func(m *protocol.Message) bool { return m.Code == protocol.CodeInvalidFrame }, true},
		{"acks passed to the tracker", func(i int) string { return fmt.Sprintf(`{"type":"ack","message_id":"x%d"}`, i) },
			func(m *protocol.Message) bool { return m.Code == protocol.CodeUnknownMessage }, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wrote := make(chan struct{})
			go func() {
				defer close(wrote)
				for i := range n {
					if sender.WriteMessage(1, []byte(c.frame(i))) != nil {
						return
					}
				}
			}()
			defer func() { <-wrote }()
			from := receiver
			if c.from {
				from = sender
			}
			for i := range n {
				m := read(t, from)
				if !assert.True(t, c.on(m), "answer %d: %+v", i, m) {
					return
				}
			}
		})
	}
}
