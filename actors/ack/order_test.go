package ack_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/ack"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Give-ups keep the order messages were tracked in (the offline path then
// keeps each user's messages in the order they were sent): on UserGone for
// one user, on Flush for all.
func TestGiveUpsKeepTheTrackingOrder(t *testing.T) {
	e := newEnv(t, ack.Config{Timeout: time.Hour})
	const n = 20
	for i := range n {
		e.sys.Root.Send(e.tracker, &ack.Track{Msg: msg(fmt.Sprint("g", i)), UserID: "gone"})
		e.sys.Root.Send(e.tracker, &ack.Track{Msg: msg(fmt.Sprint("s", i)), UserID: fmt.Sprint("stays", i%3)})
	}
	e.sys.Root.Send(e.tracker, &ack.UserGone{UserID: "gone"})
	for i := range n {
		ev, _ := e.next(t)
		g, ok := ev.(*ack.GiveUp)
		require.True(t, ok, "%T", ev)
		assert.Equal(t, fmt.Sprint("g", i), g.Msg.ID)
	}
	e.sys.Root.Send(e.tracker, &ack.Flush{})
	for i := range n {
		ev, _ := e.next(t)
		g, ok := ev.(*ack.GiveUp)
		require.True(t, ok, "%T", ev)
		assert.Equal(t, fmt.Sprint("s", i), g.Msg.ID)
	}
	ev, _ := e.next(t)
	assert.IsType(t, &ack.Flushed{}, ev)
}
