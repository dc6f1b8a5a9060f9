package client_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/client"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// realHub runs the project's own hub behind a WebSocket endpoint on loopback.
func realHub(t *testing.T, cfg hub.Config) (*hub.Hub, string) {
	t.Helper()
	sys := actors.NewSystem()
	h, err := hub.New(sys, cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(ws.Handler(h, ws.Options{}))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		require.NoError(t, h.Shutdown(ctx))
		srv.Close()
		sys.Shutdown()
	})
	return h, "ws" + strings.TrimPrefix(srv.URL, "http")
}

func waitOnline(t *testing.T, h *hub.Hub, user string) {
	require.Eventually(t, func() bool {
		users, err := h.OnlineUsers(context.Background())
		return err == nil && len(users) > 0 && users[0] == user
	}, 5*time.Second, 5*time.Millisecond)
}

func TestAgainstTheHubAutoAckConfirms(t *testing.T) {
	h, url := realHub(t, hub.Config{EnableAck: true})
	c := client.NewHubClient(url + "/?user_id=ivy")
	got := make(chan string, 1)
	c.OnMessage(protocol.TypeText, func(m *protocol.Message) { got <- m.Content })
	require.NoError(t, c.ConnectContext(context.Background()))
	defer c.Close()
	waitOnline(t, h, "ivy")

	o, err := h.SendToUserWithAck(context.Background(), "ivy", &protocol.Message{Content: "please confirm"})
	require.NoError(t, err)
	assert.Equal(t, hub.Acknowledged, o.Result)
	assert.Equal(t, "please confirm", <-got)
}

func TestAgainstTheHubARedeliveredIDReachesTheHandlerOnce(t *testing.T) {
	h, url := realHub(t, hub.Config{EnableAck: true, AckTimeout: 100 * time.Millisecond, MaxRetry: 3})
	c := client.NewHubClient(url+"/?user_id=jay", client.WithAutoAck(false))
	var calls atomic.Int32
	first := make(chan string, 1)
	c.OnMessage(protocol.TypeText, func(m *protocol.Message) {
		calls.Add(1)
		first <- m.ID
	})
	require.NoError(t, c.ConnectContext(context.Background()))
	defer c.Close()
	waitOnline(t, h, "jay")

	outcome := make(chan hub.Outcome, 1)
	go func() {
		o, _ := h.SendToUserWithAck(context.Background(), "jay", &protocol.Message{Content: "once"})
		outcome <- o
	}()
	id := <-first
	// let the hub resend (no ack yet), then confirm
	require.Eventually(t, func() bool { s, _ := h.Stats(context.Background()); return s.Resends >= 1 }, 5*time.Second, 5*time.Millisecond)
	require.NoError(t, c.Ack(id))
	o := <-outcome
	assert.Equal(t, hub.Acknowledged, o.Result)
	assert.GreaterOrEqual(t, o.Resends, 1, "the id was delivered more than once")
	assert.Equal(t, int32(1), calls.Load(), "the handler saw it once")
}
