package hub_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The same for a user who is offline: client messages parked while the
// user's sequence stream loads count against half the offline quota as if
// stored already, so a burst stores no more than that; the rest is refused
// (4029) to the sender.
func TestAFloodToAnOfflineUserWhileItsStreamLoadsStoresHalfTheQuota(t *testing.T) {
	const burst, quota = 30, 20
	db, err := store.OpenMemory(store.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	held := &heldSeq{DB: db, stream: "u:away", release: make(chan struct{})}
	h := newHub(t, hub.Config{Store: held, OfflinePerUser: quota, HeartbeatInterval: time.Hour, ClientTimeout: time.Hour})
	flooder := newMem(4 * burst)
	connect(h, session.Identity{UserID: "flooder"}, flooder)
	require.Eventually(t, func() bool { s, _ := h.Stats(context.Background()); return s.Connections == 1 }, 5*time.Second, time.Millisecond)

	from := &session.Identity{UserID: "flooder"}
	for i := range burst {
		h.System().Root.Send(h.PID(), &session.Inbound{PID: flooder.pid, Identity: from,
			Msg: &protocol.Message{To: "away", From: "flooder", Content: strconv.Itoa(i)}})
	}
	require.Eventually(t, func() bool {
		s, err := h.Stats(context.Background())
		return err == nil && s.FloodRefused == burst-quota/2
	}, 5*time.Second, time.Millisecond, "refused past half the quota, the parked ones counted")
	stored, err := h.OfflineMessages(context.Background(), "away")
	require.NoError(t, err)
	require.Empty(t, stored, "nothing stored while the stream loads: the messages are parked")
	close(held.release)
	require.Eventually(t, func() bool {
		stored, err := h.OfflineMessages(context.Background(), "away")
		return err == nil && len(stored) == quota/2
	}, 5*time.Second, time.Millisecond, "the parked ones stored once the stream loaded")
	stored, err = h.OfflineMessages(context.Background(), "away")
	require.NoError(t, err)
	for i, m := range stored {
		assert.Equal(t, strconv.Itoa(i), m.Content, "in the order sent")
	}
}
