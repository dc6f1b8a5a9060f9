package ws

import (
	"testing"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
)

// A connection holds at most inboundCredits inbound frames in the actors or
// answered and not yet written, and at most a quarter of its outbox (at least
// one): answers never take more than that of the outbox.
func TestInboundCreditsAreAtMostAQuarterOfTheOutbox(t *testing.T) {
	s := &Server{opts: Options{}.withDefaults()}
	for _, tc := range []struct{ outbox, credits int }{
		{1024, inboundCredits},
		{256, inboundCredits},
		{128, 32},
		{16, 4},
		{3, 1},
	} {
		tr := newTransport(s, &websocket.Conn{}, session.NewOutbox(tc.outbox, 1<<20), 1<<20)
		assert.Equal(t, tc.credits, cap(tr.credits), "an outbox of %d frames", tc.outbox)
	}
}
