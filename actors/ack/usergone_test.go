package ack_test

import (
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/ack"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A user with two pending messages acks one and leaves: the other is given up
// to the offline path at once, not left to its timer. (The tracker's index of
// a user's pending ids must outlive the first ack.)
func TestUserGoneAfterAnAckGivesUpWhatIsLeft(t *testing.T) {
	e := newEnv(t, ack.Config{Timeout: time.Hour})
	acked, left := make(chan ack.Outcome, 1), make(chan ack.Outcome, 1)
	e.sys.Root.Send(e.tracker, &ack.Track{Msg: msg("a"), UserID: "u", Waiter: acked})
	e.sys.Root.Send(e.tracker, &ack.Track{Msg: msg("b"), UserID: "u", Waiter: left})
	e.sys.Root.Send(e.tracker, &ack.Ack{UserID: "u", MessageID: "a", Status: protocol.AckConfirmed})
	e.sys.Root.Send(e.tracker, &ack.UserGone{UserID: "u"})
	assert.Equal(t, ack.Acknowledged, (<-acked).Result)
	ev, _ := e.next(t)
	g, ok := ev.(*ack.GiveUp)
	require.True(t, ok, "%T", ev)
	assert.Equal(t, "b", g.Msg.ID)
	assert.Equal(t, ack.Offline, g.Result)
	assert.Equal(t, ack.Offline, (<-left).Result)
}
