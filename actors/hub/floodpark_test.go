package hub_test

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// heldSeq is a store whose load of one sequence stream is answered only once
// release is closed: a disk slow to answer just when a user connected. Until
// then the stream is not loaded (NextSeq says so).
type heldSeq struct {
	*store.DB
	stream  string
	release chan struct{}
	loaded  atomic.Bool
}

func (s *heldSeq) LoadSeq(stream string, done func(store.SeqState, error)) {
	if stream != s.stream {
		s.DB.LoadSeq(stream, done)
		return
	}
	s.DB.LoadSeq(stream, func(st store.SeqState, err error) {
		go func() {
			<-s.release
			s.loaded.Store(true)
			done(st, err)
		}()
	})
}

func (s *heldSeq) NextSeq(stream string) (int64, error) {
	if stream == s.stream && !s.loaded.Load() {
		return 0, store.ErrSeqNotLoaded
	}
	return s.DB.NextSeq(stream)
}

// A burst of client messages to a user who just connected, while the user's
// sequence stream is still loading, waits in the hub (parked) rather than in
// the outbox. The flood guard counts those parked messages as queued: the
// receiver is never closed as a slow consumer because of another's burst;
// past half its outbox the sender is refused (4029). This failed now and then
// in transport/ws's flood test (the first frames of a flood all parked, then
// all released into a 64-frame outbox together).
func TestAFloodWhileTheReceiversStreamLoadsIsRefusedNotOverflowed(t *testing.T) {
	const burst, outbox = 200, 64
	db, err := store.OpenMemory(store.Config{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	held := &heldSeq{DB: db, stream: "u:calm", release: make(chan struct{})}
	h := newHub(t, hub.Config{Store: held, MessageBufferSize: outbox, HeartbeatInterval: time.Hour, ClientTimeout: time.Hour})
	calm, flooder := newMem(outbox), newMem(4*burst)
	connect(h, session.Identity{UserID: "calm"}, calm)
	connect(h, session.Identity{UserID: "flooder"}, flooder)
	require.Eventually(t, func() bool { s, _ := h.Stats(context.Background()); return s.Connections == 2 }, 5*time.Second, time.Millisecond)

	from := &session.Identity{UserID: "flooder"}
	for i := range burst {
		h.System().Root.Send(h.PID(), &session.Inbound{PID: flooder.pid, Identity: from,
			Msg: &protocol.Message{To: "calm", From: "flooder", Content: strconv.Itoa(i)}})
	}
	close(held.release)

	var s hub.Stats
	require.Eventually(t, func() bool {
		s, err = h.Stats(context.Background())
		return err == nil && int(s.FloodRefused)+calm.Queued() == burst
	}, 5*time.Second, time.Millisecond, "every message of the burst: queued for calm, or refused")
	assert.Zero(t, calm.closed.Load(), "the receiver was closed (code+1)")
	assert.Zero(t, s.SlowConsumerCloses)
	assert.LessOrEqual(t, calm.Queued(), outbox/2)
	for i := range calm.Queued() {
		assert.Equal(t, strconv.Itoa(i), calm.next(t).Msg.Content, "in the order sent")
	}
}
