package sim

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	wscnats "github.com/go-wsc/go-wsc/transport/nats"
)

// node is one hub in an actor system of its own, with its own bus connection
// and writer goroutine.
type node struct {
	sim   *Sim
	idx   int
	name  string
	sys   *actor.ActorSystem
	hub   *hub.Hub
	bus   *wscnats.Bus
	wake  chan *memConn
	done  chan struct{}
	wg    sync.WaitGroup
	dying atomic.Bool // killed: its users move to other nodes, nobody sends from it
	once  sync.Once
}

func nodeName(i int) string { return fmt.Sprintf("n%02d", i+1) }

// startNode starts node i on the NATS server at url; wakeRoom is how many
// connections it may ever hold (its wake channel's size).
func (s *Sim) startNode(i int, url string, wakeRoom int) (*node, error) {
	n := &node{sim: s, idx: i, name: nodeName(i), sys: actors.NewSystem(),
		bus: wscnats.New(wscnats.Options{URL: url}), wake: make(chan *memConn, wakeRoom), done: make(chan struct{})}
	n.wg.Add(1)
	go n.write()
	var bus hub.Bus = n.bus
	if s.wrapBus != nil {
		bus = s.wrapBus(i, bus)
	}
	h, err := hub.New(n.sys, hub.Config{
		NodeID: n.name, Bus: bus, ClusterHeartbeat: s.cfg.Heartbeat,
		// no socket answers pings: keep the sessions' idle timers out of the way
		HeartbeatInterval: time.Hour, ClientTimeout: 2 * time.Hour,
		DisableMessageRecord: true, OfflinePerUser: 1 << 20, OfflineTotal: 1 << 24, OfflineTotalBytes: 4 << 30,
	})
	if err != nil {
		close(n.done)
		n.wg.Wait()
		n.sys.Shutdown()
		return nil, fmt.Errorf("sim: node %s: %w", n.name, err)
	}
	n.hub = h
	return n, nil
}

// attach connects u to this node: a session actor over an in-memory connection.
func (n *node) attach(u *user) {
	c := newConn(u, n, 256)
	u.conn.Store(c)
	c.pid = n.sys.Root.Spawn(session.Props(n.hub.SessionConfigFor(session.Identity{UserID: u.id}), session.Identity{UserID: u.id}, c))
	close(c.ready)
}

// kill cuts the node's bus without a goodbye, then stops its hub: its
// connections close (1001) and its users reconnect to other nodes.
func (n *node) kill(ctx context.Context) {
	n.dying.Store(true)
	n.bus.Conn().Close()
	n.stop(ctx)
}

// stop shuts the hub down (its writer still running: the hub's close of
// every connection waits for their TransportDone), then the writer and the
// actor system. Idempotent.
func (n *node) stop(ctx context.Context) {
	n.once.Do(func() {
		_ = n.hub.Shutdown(ctx)
		close(n.done)
		n.wg.Wait()
		n.sys.Shutdown()
	})
}
