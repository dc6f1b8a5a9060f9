package ws_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitRecord waits until id's record has status s.
func waitRecord(t *testing.T, h *hub.Hub, id string, s recorder.Status) recorder.Record {
	t.Helper()
	var rec recorder.Record
	require.Eventually(t, func() bool {
		r, err := h.Records().GetRecord(context.Background(), id)
		rec = r
		return err == nil && r.Status == s
	}, 5*time.Second, 5*time.Millisecond, "record %s never reached %s (last: %+v)", id, s, rec.Status)
	return rec
}

func TestRecordsFollowRealTraffic(t *testing.T) {
	e := newEnv(t, hub.Config{AckTimeout: 100 * time.Millisecond, MaxRetry: 1}, ws.Options{})
	c := e.dial(t, "user_id=rita")
	e.waitConns(t, 1)

	plain := &protocol.Message{ID: e.hub.NewID(), Content: "plain"}
	require.NoError(t, e.hub.SendToUser(ctx(t), "rita", plain))
	read(t, c)
	rec := waitRecord(t, e.hub, plain.ID, recorder.StatusSuccess)
	assert.Equal(t, "rita", rec.UserID)
	assert.Equal(t, e.hub.NodeID(), rec.NodeID)

	acked := &protocol.Message{ID: e.hub.NewID(), Content: "acked", RequireAck: true}
	require.NoError(t, e.hub.SendToUser(ctx(t), "rita", acked))
	send(t, c, ackFrame(read(t, c).ID, "confirmed", ""))
	rec = waitRecord(t, e.hub, acked.ID, recorder.StatusSuccess)
	assert.Equal(t, []recorder.Status{recorder.StatusPending, recorder.StatusSending, recorder.StatusSuccess}, statuses(rec))

	ignored := &protocol.Message{ID: e.hub.NewID(), Content: "ignored", RequireAck: true}
	require.NoError(t, e.hub.SendToUser(ctx(t), "rita", ignored))
	read(t, c)
	read(t, c) // the resend
	rec = waitRecord(t, e.hub, ignored.ID, recorder.StatusAckTimeout)
	assert.Equal(t, recorder.ReasonMaxRetry, rec.Reason)
	assert.Len(t, rec.Attempts, 1)
	assert.Contains(t, statuses(rec), recorder.StatusRetrying)

	rejected := &protocol.Message{ID: e.hub.NewID(), Content: "rejected", RequireAck: true}
	require.NoError(t, e.hub.SendToUser(ctx(t), "rita", rejected))
	send(t, c, ackFrame(read(t, c).ID, "failed", "bad format"))
	rec = waitRecord(t, e.hub, rejected.ID, recorder.StatusFailed)
	assert.Equal(t, "bad format", rec.Error)

	offline := &protocol.Message{ID: e.hub.NewID(), Content: "offline"}
	require.ErrorIs(t, e.hub.SendToUser(ctx(t), "nobody", offline), hub.ErrUserOffline)
	rec = waitRecord(t, e.hub, offline.ID, recorder.StatusUserOffline)
	assert.Equal(t, recorder.ReasonUserOffline, rec.Reason)

	// the offline message is delivered from the store when its user is back;
	// retrying it then is refused: it has succeeded
	c2 := e.dial(t, "user_id=nobody")
	assert.Equal(t, "offline", read(t, c2).Content, "delivered from the store on connect")
	waitRecord(t, e.hub, offline.ID, recorder.StatusSuccess)
	_, err := e.hub.Records().RetryMessage(ctx(t), offline.ID)
	require.ErrorIs(t, err, recorder.ErrAlreadySucceeded)

	// a failed message is retried through the hub, with its id, and can succeed
	res, err := e.hub.Records().RetryMessage(ctx(t), rejected.ID)
	require.NoError(t, err)
	assert.NoError(t, res.Err)
	m := read(t, c)
	assert.Equal(t, rejected.ID, m.ID, "the retry resends the same message id")
	send(t, c, ackFrame(m.ID, "confirmed", ""))
	waitRecord(t, e.hub, rejected.ID, recorder.StatusSuccess)

	st, err := e.hub.Records().Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, 5, st.Total)
}

func statuses(r recorder.Record) []recorder.Status {
	var out []recorder.Status
	for _, tr := range r.History {
		out = append(out, tr.To)
	}
	return out
}

func TestMaxRecordsAndHooksThatCallTheHub(t *testing.T) {
	e := newEnv(t, hub.Config{MaxRecords: 5}, ws.Options{})
	hooked := make(chan int, 100)
	e.hub.Records().OnRecordCreated(func(r recorder.Record) {
		// a hook may call the hub and the recorder: neither waits on the hook
		s, err := e.hub.Stats(context.Background())
		if err != nil {
			return
		}
		if _, err := e.hub.Records().GetRecord(context.Background(), r.ID); err != nil && err != recorder.ErrRecordNotFound {
			return
		}
		hooked <- int(s.MessagesAccepted)
	})
	e.hub.Records().OnRecordCreated(func(recorder.Record) { panic("a broken hook") })
	for i := range 50 {
		_ = e.hub.SendToUser(ctx(t), "x", &protocol.Message{Content: fmt.Sprint(i)})
	}
	for range 50 {
		select {
		case <-hooked:
		case <-time.After(5 * time.Second):
			t.Fatal("hook deadlocked or stopped")
		}
	}
	// the broken hook runs after the first one: for the last record it may
	// not have yet when the first one's report is in
	var st recorder.Stats
	require.Eventually(t, func() bool {
		var err error
		st, err = e.hub.Records().Stats(context.Background())
		return err == nil && st.HookPanics == 50
	}, 5*time.Second, time.Millisecond, "hook panics counted")
	assert.Equal(t, 5, st.Total)
}
