package hub_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	"github.com/go-wsc/go-wsc/store/bolt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// run starts a hub on a bolt store in dir and returns it with a stop that
// shuts the hub down and closes the store (a restart is stop, then run).
func run(t *testing.T, dir string, cfg hub.Config) (*hub.Hub, func()) {
	t.Helper()
	db, err := bolt.OpenStore(dir, store.Config{}, nil)
	require.NoError(t, err)
	sys := actors.NewSystem()
	cfg.Store = db
	h, err := hub.New(sys, cfg)
	require.NoError(t, err)
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		require.NoError(t, h.Shutdown(ctx))
		sys.Shutdown()
		require.NoError(t, db.Close())
	}
	t.Cleanup(stop)
	return h, stop
}

// What a hub accepted survives its restart on the same data directory: the
// offline store, messages that were waiting for an ack (they come back in the
// offline store), ticket memberships, and each user's seq_no, which goes on
// from where it was.
func TestARestartKeepsWhatWasAccepted(t *testing.T) {
	dir := t.TempDir()
	cfg := hub.Config{EnableAck: true, AckTimeout: time.Hour}
	h, stop := run(t, dir, cfg)
	ctx := context.Background()
	var lastSeq int64
	for i := range 5 {
		m := &protocol.Message{ID: h.NewID(), Content: strconv.Itoa(i)}
		require.ErrorIs(t, h.SendToUser(ctx, "away", m), hub.ErrUserOffline)
	}
	tr := newMem(16)
	connect(h, session.Identity{UserID: "mute"}, tr) // reads, never acks
	online(t, h, 1)
	for i := range 3 {
		require.NoError(t, h.SendToUser(ctx, "mute", &protocol.Message{Content: "ack me " + strconv.Itoa(i)}))
		f := tr.next(t)
		require.True(t, f.Msg.RequireAck)
		lastSeq = f.Msg.SeqNo
	}
	require.NoError(t, h.JoinTicket(ctx, "T-1", "away"))
	stop()

	h, _ = run(t, dir, cfg)
	away, err := h.OfflineMessages(ctx, "away")
	require.NoError(t, err)
	require.Len(t, away, 5)
	for i, m := range away {
		assert.Equal(t, strconv.Itoa(i), m.Content, "in order")
	}
	mute, err := h.OfflineMessages(ctx, "mute")
	require.NoError(t, err)
	assert.Len(t, mute, 3, "the unacked messages are kept, to be resent")
	members, err := h.TicketMembers(ctx, "T-1")
	require.NoError(t, err)
	assert.True(t, slices.Contains(members, "away"))

	tr = newMem(16)
	connect(h, session.Identity{UserID: "mute"}, tr)
	var seqs []int64
	for range 3 {
		f := tr.next(t)
		assert.True(t, f.Msg.RequireAck, "tracked again")
		seqs = append(seqs, f.Msg.SeqNo)
	}
	require.NoError(t, h.SendToUser(ctx, "mute", &protocol.Message{Content: "after the restart"}))
	f := tr.next(t)
	assert.Equal(t, "after the restart", f.Msg.Content, "the stored ones first")
	assert.Greater(t, f.Msg.SeqNo, lastSeq, "seq_no never goes backwards")
	t.Logf("seq_no before the restart %d, after %d (redelivered: %v)", lastSeq, f.Msg.SeqNo, seqs)
}

// A resume (last_event_id) after a restart is answered from the store's
// history: the ring in memory is empty then.
func TestResumeAfterARestartReadsTheStoredHistory(t *testing.T) {
	dir := t.TempDir()
	h, stop := run(t, dir, hub.Config{})
	ctx := context.Background()
	tr := newMem(16)
	connect(h, session.Identity{UserID: "r"}, tr)
	online(t, h, 1)
	var ids []string
	for i := range 5 {
		require.NoError(t, h.SendToUser(ctx, "r", &protocol.Message{Content: strconv.Itoa(i)}))
		ids = append(ids, tr.next(t).Msg.ID)
	}
	stop()

	h, _ = run(t, dir, hub.Config{})
	tr = newMem(16)
	connect(h, session.Identity{UserID: "r", LastEventID: ids[1]}, tr)
	online(t, h, 1)
	// sent while the store's history may still be read: it waits behind
	require.NoError(t, h.SendToUser(ctx, "r", &protocol.Message{Content: "live"}))
	for i := 2; i < 5; i++ {
		f := tr.next(t)
		assert.Equal(t, ids[i], f.Msg.ID)
		assert.Equal(t, strconv.Itoa(i), f.Msg.Content)
	}
	assert.Equal(t, "live", tr.next(t).Msg.Content, "live after the resumed ones")
}

// The recent ring is bounded by bytes as well as by count: a few big
// messages do not make a user's memory grow past RecentBytesPerUser; a resume
// still finds the last of them.
func TestRecentRingIsBoundedByBytes(t *testing.T) {
	h := newHub(t, hub.Config{RecentBytesPerUser: 64 << 10})
	ctx := context.Background()
	tr := newMem(64)
	connect(h, session.Identity{UserID: "big"}, tr)
	online(t, h, 1)
	var ids []string
	for i := range 10 {
		require.NoError(t, h.SendToUser(ctx, "big", &protocol.Message{Content: strings.Repeat("b", 20<<10) + strconv.Itoa(i)}))
		ids = append(ids, tr.next(t).Msg.ID)
	}
	tr.root.Send(tr.pid, &session.TransportDone{})
	online(t, h, 0)
	// resume from the 8th: the ring (64 KiB: the last three) answers it
	again := newMem(64)
	connect(h, session.Identity{UserID: "big", LastEventID: ids[7]}, again)
	assert.Equal(t, ids[8], again.next(t).Msg.ID)
	assert.Equal(t, ids[9], again.next(t).Msg.ID)
}
