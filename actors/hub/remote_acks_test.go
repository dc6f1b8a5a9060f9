package hub_test

import (
	"context"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A client on n2 holds two messages from n1 waiting for its ack and acks them
// oldest first: n2 must remember where each came from, not only the last one,
// or the older ack is answered 4004 (unknown message) and n1 sends it again
// until MaxRetry although the client confirmed it.
func TestAcksOfSeveralMessagesFromAnotherNodeGoBackInAnyOrder(t *testing.T) {
	net := newMemNet()
	t.Cleanup(net.close) // after both hubs' cleanups
	// the ack timeout only bounds a failure (an ack lost: resent once, then
	// given up): acks here come back within milliseconds, on a loaded
	// machine within a second or two
	cfg := func(node string) hub.Config {
		return hub.Config{NodeID: node, Bus: net.bus(), ClusterHeartbeat: beat, EnableAck: true, AckTimeout: 5 * time.Second, MaxRetry: 1}
	}
	n1 := startNode(t, cfg("n1"))
	n2 := startNode(t, cfg("n2"))
	tr := newMem(16)
	connect(n2, session.Identity{UserID: "ann"}, tr)
	sees(t, n1, "ann", true)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	const n = 3
	outcomes := make(chan hub.Outcome, n)
	var ids []string
	for i := range n { // one at a time, so that ann reads them in this order
		m := &protocol.Message{ID: n1.NewID(), Content: "confirm " + string(rune('a'+i))}
		go func() {
			o, err := n1.SendToUserWithAck(ctx, "ann", m)
			if err != nil {
				o = hub.Outcome{MessageID: m.ID, Error: err.Error()}
			}
			outcomes <- o
		}()
		f := tr.next(t)
		require.Equal(t, m.ID, f.Msg.ID)
		ids = append(ids, m.ID)
	}
	// oldest first: each ack but the last is for a message older than the
	// last one n2 saw
	for _, id := range ids {
		n2.System().Root.Send(n2.PID(), &session.AckIn{PID: tr.pid, UserID: "ann", Ack: protocol.NewAck(id, protocol.AckConfirmed, "")})
	}
	got := map[string]hub.Outcome{}
	for range n {
		o := <-outcomes
		got[o.MessageID] = o
	}
	for _, id := range ids {
		assert.Equal(t, hub.Acknowledged, got[id].Result, "%s: %+v", id, got[id])
	}
	// and no ack of ann's was refused (4004) on the way
	require.NoError(t, n1.SendToUser(ctx, "ann", &protocol.Message{Content: "marker"}))
	for f := tr.next(t); f.Msg.Content != "marker"; f = tr.next(t) {
		assert.NotEqual(t, protocol.TypeError, f.Msg.Type, "%+v", f.Msg)
	}
}
