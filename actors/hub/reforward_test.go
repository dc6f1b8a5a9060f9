package hub_test

import (
	"context"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A message forwarded to a user's node is settled by that node's report. When
// no report comes (lost here) while the user is still connected there, the
// copy is sent again, twice at most, then kept in the sending node's offline
// store: at least once, never lost, and not resent forever.
func TestAForwardWithNoReportIsSentTwiceMoreThenStored(t *testing.T) {
	net, n1, n2 := twoNodes(t)
	tr := newMem(16)
	connect(n2, session.Identity{UserID: "ann"}, tr)
	sees(t, n1, "ann", true)
	net.lose("n2", func(m *hub.BusMessage) bool { return m.Kind == hub.BusReport })
	ctx := context.Background()
	m := &protocol.Message{ID: n1.NewID(), Content: "report me"}
	require.NoError(t, n1.SendToUser(ctx, "ann", m))

	require.Eventually(t, func() bool {
		stored, err := n1.OfflineMessages(ctx, "ann")
		return err == nil && len(stored) == 1 && stored[0].ID == m.ID
	}, 5*time.Second, time.Millisecond, "stored on n1 once no report came")
	copies := 0
	for range 3 {
		assert.Equal(t, m.ID, tr.next(t).Msg.ID)
		copies++
	}
	// nothing more is sent once it is stored: three heartbeats' expiry later,
	// a fourth copy would be there
	require.NoError(t, n1.SendToUser(ctx, "ann", &protocol.Message{Content: "marker"}))
	for {
		f := tr.next(t)
		if f.Msg.Content == "marker" {
			break
		}
		copies++
	}
	assert.Equal(t, 3, copies, "the first copy and two more")
}

// A message that only left for another node counts as delivered on the
// sending node once that node reports a connection took it.
func TestAForwardCountsAsDeliveredOnItsReport(t *testing.T) {
	_, n1, n2 := twoNodes(t)
	tr := newMem(16)
	connect(n2, session.Identity{UserID: "ann"}, tr)
	sees(t, n1, "ann", true)
	ctx := context.Background()
	require.NoError(t, n1.SendToUser(ctx, "ann", &protocol.Message{Content: "counted"}))
	assert.Equal(t, "counted", tr.next(t).Msg.Content)
	require.Eventually(t, func() bool {
		s, err := n1.Stats(ctx)
		return err == nil && s.ForwardedOnly == 1 && s.MessagesDelivered == 1
	}, 5*time.Second, time.Millisecond, "delivered once n2 reported")
}

// A node watches a ticket once one of its members connects there: a ticket
// message from another node then reaches the member at once, as a ticket
// message, not after it was taken for lost and forwarded again to the user.
func TestAMemberConnectingMakesItsNodeWatchTheTicket(t *testing.T) {
	net := newMemNet()
	t.Cleanup(net.close) // after both hubs' cleanups
	// heartbeats slow enough that a loaded machine's report is never late (a
	// copy is taken for lost three heartbeats after it left)
	n1 := startNode(t, hub.Config{NodeID: "n1", Bus: net.bus(), ClusterHeartbeat: 300 * time.Millisecond})
	n2 := startNode(t, hub.Config{NodeID: "n2", Bus: net.bus(), ClusterHeartbeat: 300 * time.Millisecond})
	ctx := context.Background()
	require.NoError(t, n1.JoinTicket(ctx, "T", "ann"))
	require.NoError(t, n2.JoinTicket(ctx, "T", "ann"))
	tr := newMem(16)
	connect(n2, session.Identity{UserID: "ann"}, tr)
	sees(t, n1, "ann", true)
	require.NoError(t, n1.SendToTicket(ctx, "T", &protocol.Message{Content: "to T"}))
	f := tr.next(t)
	assert.Equal(t, "to T", f.Msg.Content)
	require.Eventually(t, func() bool {
		s, err := n1.Stats(ctx)
		return err == nil && s.MessagesDelivered == 1
	}, 5*time.Second, time.Millisecond, "n2's report")
	s, err := n1.Stats(ctx)
	require.NoError(t, err)
	assert.Zero(t, s.ForwardsLost, "not taken for lost")
}

// A forwarded message the receiving node's connection took but never wrote
// (the connection went with it queued) goes to that node's offline path, and
// the sending node's record says so: not the success the first report gave.
func TestAForwardLeftUnwrittenIsRecordedStoredOnTheSendingNode(t *testing.T) {
	_, n1, n2 := twoNodes(t)
	tr := newMem(16)
	connect(n2, session.Identity{UserID: "ann"}, tr)
	sees(t, n1, "ann", true)
	ctx := context.Background()
	m := &protocol.Message{ID: n1.NewID(), Content: "queued, never written"}
	require.NoError(t, n1.SendToUser(ctx, "ann", m))
	status := func() recorder.Status {
		r, err := n1.Records().GetRecord(ctx, m.ID)
		if err != nil {
			return ""
		}
		return r.Status
	}
	require.Eventually(t, func() bool { return status() == recorder.StatusSuccess }, 5*time.Second, time.Millisecond,
		"n2 reported the copy its connection queued")

	tr.root.Send(tr.pid, &session.TransportDone{}) // nothing was written
	require.Eventually(t, func() bool {
		kept, err := n2.OfflineMessages(ctx, "ann")
		return err == nil && len(kept) == 1 && kept[0].ID == m.ID
	}, 5*time.Second, time.Millisecond, "kept on n2")
	require.Eventually(t, func() bool { return status() == recorder.StatusUserOffline }, 5*time.Second, time.Millisecond,
		"n1's record: stored on n2, not success")
	r, err := n1.Records().GetRecord(ctx, m.ID)
	require.NoError(t, err)
	assert.Equal(t, "stored on another node", r.Error)
}
