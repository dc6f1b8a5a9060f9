package nats_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A message sent from n1 to a user on n2 is recorded success on n1 only once
// n2 reports that a connection took it. When n2's bus is cut (no goodbye),
// the messages n1 publishes meanwhile reach nobody: no report comes, their
// records never say success, and after three heartbeats n1 puts them on its
// own offline path — every one, none lost, counted as ForwardsLost.
func TestForwardedMessagesAreSettledByReports(t *testing.T) {
	nodes := newCluster(t, 2, hub.Config{OfflinePerUser: 1000, OfflineTotal: 1000})
	n1, n2 := nodes[0], nodes[1]
	c := n2.dial(t, "user_id=far")
	seen(t, nodes, "far")

	const delivered, cut = 20, 30
	for i := range delivered {
		m := &protocol.Message{ID: n1.hub.NewID(), Content: fmt.Sprint(i)}
		require.NoError(t, n1.hub.SendToUser(ctx(t), "far", m))
		assert.Equal(t, m.ID, read(t, c).ID)
		waitRecord(t, n1, m.ID, recorder.StatusSuccess)
	}

	n2.bus.Conn().Close() // n2 hears nothing more and says nothing more
	var lost []string
	for i := range cut {
		m := &protocol.Message{ID: n1.hub.NewID(), Content: fmt.Sprint("cut", i)}
		err := n1.hub.SendToUser(ctx(t), "far", m)
		if err != nil {
			require.ErrorIs(t, err, hub.ErrUserOffline) // n1 already took n2 for dead: stored at once
		}
		lost = append(lost, m.ID)
	}
	for _, id := range lost {
		waitRecord(t, n1, id, recorder.StatusUserOffline)
	}
	stored, err := n1.hub.OfflineMessages(ctx(t), "far")
	require.NoError(t, err)
	assert.Len(t, stored, cut, "every message n2 never reported is kept on n1")
	s, err := n1.hub.Stats(ctx(t))
	require.NoError(t, err)
	assert.Positive(t, s.ForwardsLost, "some went out before n1 took n2 for dead")
	t.Logf("forwarded %d, lost in flight and stored %d", s.ForwardedOnly, s.ForwardsLost)
}

// A message forwarded to a node where the user has just left is stored there,
// and the report says so: n1's record is user_offline, not success.
func TestAForwardStoredOnTheOtherNodeIsRecordedSo(t *testing.T) {
	nodes := newCluster(t, 2, hub.Config{})
	n1, n2 := nodes[0], nodes[1]
	c := n2.dial(t, "user_id=leaving")
	seen(t, nodes, "leaving")
	require.NoError(t, c.Close())
	// n2 has let the user go (a message it took before that went to the
	// connection: success, rightly; under load that raced the send below)
	require.Eventually(t, func() bool {
		users, err := n2.hub.OnlineUsers(ctx(t))
		return err == nil && !slices.Contains(users, "leaving")
	}, 10*time.Second, 5*time.Millisecond)
	// n1 may still see the user on n2 for a moment: either n2 stores it and
	// reports so, or n1 stores it; either way the record says user_offline
	m := &protocol.Message{ID: n1.hub.NewID(), Content: "late"}
	_ = n1.hub.SendToUser(ctx(t), "leaving", m)
	waitRecord(t, n1, m.ID, recorder.StatusUserOffline)
}

func waitRecord(t *testing.T, nd *node, id string, want recorder.Status) {
	t.Helper()
	var (
		have recorder.Record
		err  error
	)
	ok := assert.Eventually(t, func() bool {
		have, err = nd.hub.Records().GetRecord(context.Background(), id)
		return err == nil && have.Status == want
	}, 10*time.Second, 5*time.Millisecond)
	if !ok {
		t.Fatalf("record %s: want %s, have %+v (err %v)", id, want, have, err)
	}
}
