package ws_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ackFrame(id, status, reason string) string {
	return fmt.Sprintf(`{"type":"ack","message_id":%q,"status":%q,"error":%q}`, id, status, reason)
}

func TestAckOverTheSocketConfirms(t *testing.T) {
	e := newEnv(t, hub.Config{EnableAck: true, AckTimeout: 5 * time.Second}, ws.Options{})
	c := e.dial(t, "user_id=ann")
	e.waitConns(t, 1)
	go func() { // the receiver acks what it reads
		m := read(t, c)
		send(t, c, ackFrame(m.ID, "confirmed", ""))
	}()
	o, err := e.hub.SendToUserWithAck(ctx(t), "ann", &protocol.Message{Content: "sign here"})
	require.NoError(t, err)
	assert.Equal(t, hub.Acknowledged, o.Result)
	assert.Zero(t, o.Resends)
	assert.Positive(t, o.RTT)
}

func TestFailedAckIsARejection(t *testing.T) {
	e := newEnv(t, hub.Config{EnableAck: true}, ws.Options{})
	c := e.dial(t, "user_id=ann")
	e.waitConns(t, 1)
	go func() {
		m := read(t, c)
		assert.True(t, m.RequireAck)
		send(t, c, ackFrame(m.ID, "failed", "cannot render"))
	}()
	o, err := e.hub.SendToUserWithAck(ctx(t), "ann", &protocol.Message{Content: "x"})
	require.ErrorIs(t, err, hub.ErrAckRejected)
	assert.Equal(t, hub.Rejected, o.Result)
	assert.Equal(t, "cannot render", o.Error)
}

func TestAckDisabled(t *testing.T) {
	e := newEnv(t, hub.Config{}, ws.Options{})
	_, err := e.hub.SendToUserWithAck(ctx(t), "ann", &protocol.Message{})
	require.ErrorIs(t, err, hub.ErrAckDisabled)
}

func TestNoAckMeansBackoffResendsThenOffline(t *testing.T) {
	const timeout = 150 * time.Millisecond
	e := newEnv(t, hub.Config{EnableAck: true, AckTimeout: timeout, MaxRetry: 3, MaxBackoff: time.Minute}, ws.Options{})
	c := e.dial(t, "user_id=mute")
	e.waitConns(t, 1)
	got := make(chan time.Time, 10)
	var ids []string
	go func() {
		for {
			_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
			_, data, err := c.ReadMessage()
			if err != nil {
				close(got)
				return
			}
			m, _ := protocol.Decode(data)
			ids = append(ids, m.ID)
			got <- time.Now()
		}
	}()
	start := time.Now()
	o, err := e.hub.SendToUserWithAck(ctx(t), "mute", &protocol.Message{Content: "are you there"})
	require.ErrorIs(t, err, hub.ErrMaxRetry)
	assert.Equal(t, hub.MaxRetry, o.Result)
	assert.Equal(t, 3, o.Resends)
	elapsed := time.Since(start)
	// Waits of 150, 300, 600, then 1200 ms for the last copy: 2250 ms in all.
	// Timers fire late under load, never early, and each wait starts when the
	// previous one ended: every event comes no sooner than the sum of the
	// waits before it (a backoff that did not double could not reach them),
	// and the end long before a backoff that tripled (6 s) could (the bound
	// leaves a loaded machine 2 s).
	assert.GreaterOrEqual(t, elapsed, 15*timeout)
	assert.Less(t, elapsed, 15*timeout+2*time.Second)

	c.Close()
	var arrivals []time.Duration
	for at := range got {
		arrivals = append(arrivals, at.Sub(start))
	}
	require.Len(t, arrivals, 4, "exactly MaxRetry+1 copies")
	for i, due := range []time.Duration{0, timeout, 3 * timeout, 7 * timeout} {
		assert.GreaterOrEqual(t, arrivals[i], due, "copy %d", i)
	}
	assert.Equal(t, []string{ids[0], ids[0], ids[0], ids[0]}, ids, "the same message id each time")
	stored, err := e.hub.OfflineMessages(ctx(t), "mute")
	require.NoError(t, err)
	require.Len(t, stored, 1)
	assert.Equal(t, ids[0], stored[0].ID)
}

func TestTicketWithAckHasAnOutcomePerMember(t *testing.T) {
	e := newEnv(t, hub.Config{EnableAck: true, AckTimeout: 100 * time.Millisecond, MaxRetry: 1}, ws.Options{})
	acker := e.dial(t, "user_id=a1&ticket_id=T")
	mute := e.dial(t, "user_id=a2&ticket_id=T")
	require.NoError(t, e.hub.JoinTicket(ctx(t), "T", "away"))
	e.waitConns(t, 2)
	_ = mute
	go func() {
		m := read(t, acker)
		send(t, acker, ackFrame(m.ID, "confirmed", ""))
	}()
	outs, err := e.hub.SendToTicketWithAck(ctx(t), "T", &protocol.Message{Content: "all hands"})
	require.NoError(t, err)
	results := map[string]hub.Outcome{}
	for _, o := range outs {
		results[o.UserID] = o
	}
	require.Len(t, results, 3)
	assert.Equal(t, hub.Acknowledged, results["a1"].Result)
	assert.Equal(t, hub.MaxRetry, results["a2"].Result)
	assert.Equal(t, hub.Offline, results["away"].Result)
}

func TestShutdownHandsPendingAcksToTheOfflinePath(t *testing.T) {
	e := newEnv(t, hub.Config{EnableAck: true, AckTimeout: time.Hour}, ws.Options{})
	c := e.dial(t, "user_id=late")
	e.waitConns(t, 1)
	outcome := make(chan hub.Outcome, 1)
	go func() {
		o, _ := e.hub.SendToUserWithAck(context.Background(), "late", &protocol.Message{Content: "pending"})
		outcome <- o
	}()
	m := read(t, c) // delivered, never acked
	require.NoError(t, e.hub.Shutdown(ctx(t)))
	o := <-outcome
	assert.Equal(t, hub.Offline, o.Result)
	assert.Equal(t, m.ID, o.MessageID)
	assert.Equal(t, websocket.CloseGoingAway, readClose(t, c, 5*time.Second))
}

func TestBroadcastNeverAsksForAnAck(t *testing.T) {
	e := newEnv(t, hub.Config{EnableAck: true}, ws.Options{})
	c := e.dial(t, "user_id=all")
	e.waitConns(t, 1)
	m := &protocol.Message{ID: e.hub.NewID(), Content: "news"}
	require.NoError(t, e.hub.Broadcast(ctx(t), m))
	got := read(t, c)
	assert.False(t, got.RequireAck, "nobody tracks a broadcast's acks")
	rec, err := e.hub.Records().GetRecord(ctx(t), m.ID)
	require.NoError(t, err)
	assert.Equal(t, "success", string(rec.Status))
}

func TestATicketMessageCountsAsDeliveredOnce(t *testing.T) {
	e := newEnv(t, hub.Config{}, ws.Options{})
	a, b := e.dial(t, "user_id=a&ticket_id=T"), e.dial(t, "user_id=b&ticket_id=T")
	e.waitConns(t, 2)
	require.NoError(t, e.hub.SendToTicket(ctx(t), "T", &protocol.Message{Content: "x"}))
	read(t, a)
	read(t, b)
	s, err := e.hub.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, int64(1), s.MessagesDelivered)
}
