package hub_test

import (
	"context"
	"testing"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A ticket message's record can be retried: the hub sends it to the ticket
// again, with its id (a user's record goes to the user: transport/ws's
// records test).
func TestATicketRecordIsRetriedToTheTicket(t *testing.T) {
	h := newHub(t, hub.Config{})
	ctx := context.Background()
	require.NoError(t, h.JoinTicket(ctx, "T", "m"))
	m := &protocol.Message{ID: h.NewID(), Content: "again"}
	require.NoError(t, h.SendToTicket(ctx, "T", m))
	waitStatus(t, h, m.ID, recorder.StatusUserOffline)

	res, err := h.Records().RetryMessage(ctx, m.ID)
	require.NoError(t, err)
	require.NoError(t, res.Err)
	tr := newMem(8)
	connect(h, session.Identity{UserID: "m"}, tr)
	f := tr.next(t)
	assert.Equal(t, m.ID, f.Msg.ID)
	assert.Equal(t, "T", f.Msg.TicketID)
}
