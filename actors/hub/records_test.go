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

func waitStatus(t *testing.T, h *hub.Hub, id string, s recorder.Status) recorder.Record {
	t.Helper()
	var rec recorder.Record
	require.Eventually(t, func() bool {
		r, err := h.Records().GetRecord(context.Background(), id)
		rec = r
		return err == nil && r.Status == s
	}, 5*time.Second, time.Millisecond, "record %s: want %s, have %s", id, s, rec.Status)
	return rec
}

func online(t *testing.T, h *hub.Hub, n int) {
	t.Helper()
	require.Eventually(t, func() bool { s, _ := h.Stats(context.Background()); return s.Connections == n }, 5*time.Second, time.Millisecond)
}

// A connection whose queue is full is a slow consumer: closed with 3002, and
// the message it could not take goes to the offline path as queue_full.
func TestSlowConsumerRecordsQueueFull(t *testing.T) {
	h := newHub(t, hub.Config{})
	tr := newMem(0) // no room at all
	connect(h, session.Identity{UserID: "slow"}, tr)
	online(t, h, 1)
	m := &protocol.Message{ID: h.NewID(), Content: "too much"}
	require.NoError(t, h.SendToUser(context.Background(), "slow", m))
	rec := waitStatus(t, h, m.ID, recorder.StatusUserOffline)
	assert.Equal(t, recorder.ReasonQueueFull, rec.Reason)
	assert.Equal(t, int32(protocol.CloseSlowConsumer)+1, tr.closed.Load())
	stored, err := h.OfflineMessages(context.Background(), "slow")
	require.NoError(t, err)
	assert.Len(t, stored, 1)
}

// A connection that drops with frames it never wrote hands them back: they go
// to the offline path as conn_error.
func TestDroppedConnectionRecordsConnError(t *testing.T) {
	h := newHub(t, hub.Config{})
	tr := newMem(4)
	connect(h, session.Identity{UserID: "flaky"}, tr)
	online(t, h, 1)
	m := &protocol.Message{ID: h.NewID(), Content: "in flight"}
	require.NoError(t, h.SendToUser(context.Background(), "flaky", m))
	// queued, never written: the peer vanishes
	tr.root.Send(tr.pid, &session.TransportDone{})
	rec := waitStatus(t, h, m.ID, recorder.StatusUserOffline)
	assert.Equal(t, recorder.ReasonConnError, rec.Reason)
}

// The bounded offline store drops its oldest message to keep a new one: the
// dropped one is recorded as failed, queue_full.
func TestOfflineStoreDropRecordsQueueFull(t *testing.T) {
	h := newHub(t, hub.Config{OfflinePerUser: 1})
	first := &protocol.Message{ID: h.NewID(), Content: "1"}
	second := &protocol.Message{ID: h.NewID(), Content: "2"}
	require.ErrorIs(t, h.SendToUser(context.Background(), "away", first), hub.ErrUserOffline)
	require.ErrorIs(t, h.SendToUser(context.Background(), "away", second), hub.ErrUserOffline)
	rec := waitStatus(t, h, first.ID, recorder.StatusFailed)
	assert.Equal(t, recorder.ReasonQueueFull, rec.Reason)
	waitStatus(t, h, second.ID, recorder.StatusUserOffline)
	s, err := h.Stats(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(1), s.OfflineDropped)
}

// A message routed lazily (a send nobody waits on) gets a record that starts
// at the message's own CreateAt, the hub's turn time, and so does the
// status the routing gave it: the hub's batch reads the clock the turn read.
func TestRecordStartsAtTheMessagesTime(t *testing.T) {
	h := newHub(t, hub.Config{})
	tr := newMem(4)
	connect(h, session.Identity{UserID: "bob"}, tr)
	online(t, h, 1)
	// A first message waits, if it must, for bob's sequence numbers (loaded
	// when he connected, a block of them reserved on the store at the first
	// draw): one sent meanwhile is stamped in its own turn and routed, and
	// recorded, in the later turn that has the number. This test is about the
	// usual case, the second: stamped, routed and recorded in one turn.
	first := &protocol.Message{ID: h.NewID(), Content: "first"}
	h.System().Root.Send(h.PIDFor("bob"), &hub.SendToUser{UserID: "bob", Msg: first})
	waitStatus(t, h, first.ID, recorder.StatusSuccess)
	m := &protocol.Message{ID: h.NewID(), Content: "hi"}
	h.System().Root.Send(h.PIDFor("bob"), &hub.SendToUser{UserID: "bob", Msg: m})
	rec := waitStatus(t, h, m.ID, recorder.StatusSuccess)
	require.False(t, rec.Message.CreateAt.IsZero())
	assert.True(t, rec.CreatedAt.Equal(rec.Message.CreateAt), "record %s, message %s", rec.CreatedAt, rec.Message.CreateAt)
	require.Len(t, rec.History, 2)
	assert.True(t, rec.History[1].At.Equal(rec.Message.CreateAt))
}
