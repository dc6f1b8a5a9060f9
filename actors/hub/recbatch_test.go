package hub_test

import (
	"fmt"
	"testing"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// The record events of sends nobody waits on are gathered on the hub's
// mailbox and go to the recorder once the mailbox has nothing queued: each
// record settles with no later message to the hub to push it out.
func TestFireAndForgetRecordsSettle(t *testing.T) {
	h := newHub(t, hub.Config{})
	tr := newMem(64)
	connect(h, session.Identity{UserID: "u"}, tr)
	online(t, h, 1)
	var ids []string
	for i := range 5 {
		m := &protocol.Message{ID: h.NewID(), Content: fmt.Sprint(i)}
		ids = append(ids, m.ID)
		h.System().Root.Send(h.PID(), &hub.SendToUser{UserID: "u", Msg: m})
	}
	for _, id := range ids {
		waitStatus(t, h, id, recorder.StatusSuccess)
	}
	for range ids {
		tr.next(t)
	}
}
