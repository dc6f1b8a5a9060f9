package hub_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// trackerGate holds a hub's ack tracker still: its AckObserver, which runs on
// the tracker's mailbox, blocks on the outcome of a message stored for the
// user "gate" until the test opens it. What the hub sends the tracker
// meanwhile (UserGone) waits in its mailbox, so the test decides what the hub
// has seen by the time the tracker answers.
type trackerGate struct {
	held chan struct{}
	open chan struct{}
	once sync.Once
}

func newTrackerGate() *trackerGate {
	return &trackerGate{held: make(chan struct{}, 1), open: make(chan struct{})}
}

func (g *trackerGate) observe(o hub.Outcome) {
	if o.UserID == "gate" {
		g.held <- struct{}{}
		<-g.open
	}
}

// close lets the tracker go on (once: a failed test's cleanup calls it too).
func (g *trackerGate) close() { g.once.Do(func() { close(g.open) }) }

// hold stops h's tracker: an acked message for the offline user "gate"
// reaches it as an outcome, and the observer blocks there.
func (g *trackerGate) hold(t *testing.T, h *hub.Hub) {
	t.Helper()
	err := h.SendToUser(context.Background(), "gate", &protocol.Message{Content: "hold"})
	require.ErrorIs(t, err, hub.ErrUserOffline)
	<-g.held
}

// ackHub starts a hub that requires acks and never times out waiting for one
// (its cleanup opens the gate first: a held tracker would hold the shutdown).
func ackHub(t *testing.T, g *trackerGate, cfg hub.Config) *hub.Hub {
	t.Helper()
	cfg.EnableAck, cfg.AckTimeout, cfg.AckObserver = true, time.Hour, g.observe
	sys := actors.NewSystem()
	h, err := hub.New(sys, cfg)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		require.NoError(t, h.Shutdown(ctx))
		sys.Shutdown()
	})
	t.Cleanup(g.close) // runs first
	return h
}

// A message whose user left before acking is given up as offline; when the
// user is back by the time the tracker gives it up, it goes to the new
// connection, not to the offline store (a user online gets no backlog: it
// would wait there for the user's next first connection), and is tracked again.
func TestAMessageGivenUpWhileItsUserIsBackGoesToTheNewConnection(t *testing.T) {
	g := newTrackerGate()
	h := ackHub(t, g, hub.Config{})
	ctx := context.Background()
	first := newMem(8)
	connect(h, session.Identity{UserID: "u"}, first)
	online(t, h, 1)
	require.NoError(t, h.SendToUser(ctx, "u", &protocol.Message{Content: "ack me"}))
	m := first.next(t).Msg // written, never acked

	g.hold(t, h)
	first.Close(protocol.CloseGoingAway, "") // UserGone waits in the tracker's mailbox
	online(t, h, 0)
	again := newMem(8)
	connect(h, session.Identity{UserID: "u"}, again)
	online(t, h, 1)
	g.close() // the tracker gives m up now, with u back

	f := again.next(t)
	assert.Equal(t, m.ID, f.Msg.ID, "the given-up message, on the new connection")
	stored, err := h.OfflineMessages(ctx, "u")
	require.NoError(t, err)
	assert.Empty(t, stored, "not stored as well")

	// tracked again: when u leaves once more without acking, m is given up
	// again and this time stored
	again.Close(protocol.CloseGoingAway, "")
	require.Eventually(t, func() bool {
		stored, err := h.OfflineMessages(ctx, "u")
		return err == nil && len(stored) == 1 && stored[0].ID == m.ID
	}, 5*time.Second, time.Millisecond, "m stored once u is gone again")
}

// The same when the user is back on another node only: the message is
// published to that node, which delivers it.
func TestAMessageGivenUpWhileItsUserIsOnAnotherNodeGoesThere(t *testing.T) {
	net := newMemNet()
	t.Cleanup(net.close) // after both hubs' cleanups
	g := newTrackerGate()
	n1 := ackHub(t, g, hub.Config{NodeID: "n1", Bus: net.bus(), ClusterHeartbeat: beat})
	n2 := ackHub(t, newTrackerGate(), hub.Config{NodeID: "n2", Bus: net.bus(), ClusterHeartbeat: beat})
	ctx := context.Background()
	first := newMem(8)
	connect(n1, session.Identity{UserID: "u"}, first)
	online(t, n1, 1)
	require.NoError(t, n1.SendToUser(ctx, "u", &protocol.Message{Content: "ack me"}))
	m := first.next(t).Msg // tracked on n1, never acked

	g.hold(t, n1)
	first.Close(protocol.CloseGoingAway, "") // n1's UserGone waits in its tracker's mailbox
	online(t, n1, 0)
	there := newMem(8)
	connect(n2, session.Identity{UserID: "u"}, there)
	sees(t, n1, "u", true) // n1 knows u is on n2
	g.close()

	f := there.next(t)
	assert.Equal(t, m.ID, f.Msg.ID, "the given-up message, on the other node's connection")
	stored, err := n1.OfflineMessages(ctx, "u")
	require.NoError(t, err)
	assert.Empty(t, stored, "not stored as well")
}
