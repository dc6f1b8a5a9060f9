package nats_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	wscnats "github.com/go-wsc/go-wsc/transport/nats"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/gorilla/websocket"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/stretchr/testify/require"
)

// heartbeat is the nodes' cluster heartbeat; a node silent for three is dead.
// At 100 ms a loaded machine's late heartbeats once made n1 take a live n3
// for dead mid-test and take over its pending acks (delivered twice then).
const heartbeat = 250 * time.Millisecond

// node is one hub with its own actor system, HTTP server and bus connection.
type node struct {
	name string
	sys  *actor.ActorSystem
	hub  *hub.Hub
	bus  *wscnats.Bus
	srv  *httptest.Server
	once sync.Once
}

// newCluster starts an embedded NATS server and n nodes on it.
func newCluster(t *testing.T, n int, cfg hub.Config) []*node {
	t.Helper()
	ns, err := wscnats.RunEmbedded("127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	nodes := make([]*node, n)
	for i := range nodes {
		nodes[i] = startNode(t, ns.ClientURL(), fmt.Sprint("n", i+1), cfg)
	}
	return nodes
}

func startNode(t testing.TB, url, name string, cfg hub.Config) *node {
	t.Helper()
	cfg.NodeID, cfg.ClusterHeartbeat = name, heartbeat
	nd := &node{name: name, sys: actors.NewSystem(), bus: wscnats.New(wscnats.Options{URL: url})}
	cfg.Bus = nd.bus
	h, err := hub.New(nd.sys, cfg)
	require.NoError(t, err)
	nd.hub = h
	nd.srv = httptest.NewServer(ws.Handler(h, ws.Options{}))
	t.Cleanup(nd.stop)
	return nd
}

// stop shuts the node down (idempotent: tests may stop a node early).
func (nd *node) stop() {
	nd.once.Do(func() { // protoactor's ActorSystem.Shutdown panics when called twice
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = nd.hub.Shutdown(ctx)
		nd.srv.Close()
		nd.sys.Shutdown()
	})
}

func (nd *node) dial(t testing.TB, query string) *websocket.Conn {
	t.Helper()
	c, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(nd.srv.URL, "http")+"/?"+query, nil)
	require.NoError(t, err)
	resp.Body.Close()
	t.Cleanup(func() { c.Close() })
	// A pong that misses gorilla's 1 s deadline (a reader descheduled that
	// long, past the hub's 30 s keepalive in a long test on a loaded
	// machine) must not end the next read: the next read says whether the
	// connection is still there.
	c.SetPingHandler(func(data string) error {
		_ = c.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(10*time.Second))
		return nil
	})
	return c
}

// seen waits until every node sees user online.
func seen(t testing.TB, nodes []*node, users ...string) {
	t.Helper()
	require.Eventually(t, func() bool {
		for _, nd := range nodes {
			online, err := nd.hub.OnlineUsers(context.Background())
			if err != nil {
				return false
			}
			for _, u := range users {
				if !slices.Contains(online, u) {
					return false
				}
			}
		}
		return true
	}, 10*time.Second, 10*time.Millisecond, "presence of %v never converged", users)
}

func members(t *testing.T, nodes []*node, ticket string, n int) {
	t.Helper()
	require.Eventually(t, func() bool {
		for _, nd := range nodes {
			m, err := nd.hub.TicketMembers(context.Background(), ticket)
			if err != nil || len(m) != n {
				return false
			}
		}
		return true
	}, 10*time.Second, 10*time.Millisecond)
}

func read(t *testing.T, c *websocket.Conn) *protocol.Message {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, data, err := c.ReadMessage()
	require.NoError(t, err)
	m, err := protocol.Decode(data)
	require.NoError(t, err, string(data))
	return m
}

// quiet asserts that nothing but the answer to a ping arrives on c.
func quiet(t *testing.T, c *websocket.Conn) {
	t.Helper()
	require.NoError(t, c.WriteMessage(websocket.TextMessage, []byte(`{"type":"ping"}`)))
	require.Equal(t, protocol.TypePong, read(t, c).Type)
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// Benchmark spellings of the helpers above.
func startNodeB(b *testing.B, url, name string, cfg hub.Config) *node {
	return startNode(b, url, name, cfg)
}
func (nd *node) dialB(b *testing.B, q string) *websocket.Conn { return nd.dial(b, q) }
func waitSeenB(b *testing.B, nodes []*node, users ...string)  { seen(b, nodes, users...) }
func runEmbedded() (*server.Server, error)                    { return wscnats.RunEmbedded("127.0.0.1:0") }
