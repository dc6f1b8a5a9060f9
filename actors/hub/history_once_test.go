package hub_test

import (
	"context"
	"testing"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Messages redelivered from the offline store join the recent history once:
// one that was handed to a connection before (it is in the history already)
// is not added again, one that was only ever stored is added. A resume then
// gets each exactly once, in order.
func TestRedeliveredMessagesAreInTheHistoryOnce(t *testing.T) {
	h := newHub(t, hub.Config{})
	ctx := context.Background()
	send := func(content string) {
		t.Helper()
		err := h.SendToUser(ctx, "u", &protocol.Message{Content: content})
		if err != nil {
			require.ErrorIs(t, err, hub.ErrUserOffline)
		}
	}

	first := newMem(8)
	connect(h, session.Identity{UserID: "u"}, first)
	online(t, h, 1)
	send("a")
	a := first.next(t).Msg
	send("b") // handed to the connection (in the history), never written
	first.Close(protocol.CloseGoingAway, "")
	online(t, h, 0) // b goes back to the offline store
	send("s")       // only ever stored

	second := newMem(8)
	connect(h, session.Identity{UserID: "u"}, second)
	assert.Equal(t, "b", second.next(t).Msg.Content)
	assert.Equal(t, "s", second.next(t).Msg.Content)
	second.Close(protocol.CloseGoingAway, "")
	online(t, h, 0)

	third := newMem(8)
	connect(h, session.Identity{UserID: "u", LastEventID: a.ID}, third)
	online(t, h, 1)
	send("c")
	var got []string
	for range 3 {
		got = append(got, third.next(t).Msg.Content)
	}
	assert.Equal(t, []string{"b", "s", "c"}, got, "the resume after a, then live")
}

// The hub takes content messages and welcome frames from the application;
// control frames are the transports' own.
func TestTheFacadeTakesContentAndWelcomeFramesOnly(t *testing.T) {
	h := newHub(t, hub.Config{})
	tr := newMem(8)
	connect(h, session.Identity{UserID: "u"}, tr)
	online(t, h, 1)
	ctx := context.Background()
	require.NoError(t, h.SendToUser(ctx, "u", &protocol.Message{Type: protocol.TypeWelcome, Content: "hello"}))
	assert.Equal(t, protocol.TypeWelcome, tr.next(t).Msg.Type)
	for _, typ := range []protocol.MessageType{protocol.TypePing, protocol.TypeClose, protocol.TypeRefresh} {
		assert.ErrorIs(t, h.SendToUser(ctx, "u", &protocol.Message{Type: typ, Content: "x"}), hub.ErrInvalidMessage, "%s", typ)
	}
}
