package sim

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	wscnats "github.com/go-wsc/go-wsc/transport/nats"
	"github.com/nats-io/nats-server/v2/server"
)

// Sim is one run: its nodes, users and ledger.
type Sim struct {
	cfg     Config
	ns      *server.Server
	nodes   []*node // by index; nil until started
	live    atomic.Pointer[[]*node]
	users   [][]*user // by home node
	tickets [][]*user
	ledger  *ledger
	ready   atomic.Int32 // s.users[:ready] are attached (nodes start in index order)
	start   time.Time

	// wrapBus, when set, wraps node i's bus (a test's way to lose messages)
	wrapBus func(i int, b hub.Bus) hub.Bus

	victim int // the node that dies (-1: none); its users send only once they have moved

	phase  atomic.Int32         // the run's phase (probe.go)
	lags   [phases]atomic.Int64 // per phase, the longest a hub took to answer the probe (ns)
	asksAt int64                // roster asks when the phase began (run goroutine only)

	stopping atomic.Bool
	moveMu   sync.Mutex // serialises reconnections (the writers of a dying node call closed)
	moved    atomic.Int64
}

// user is one simulated user; conn is its current connection.
type user struct {
	id   string
	home int
	conn atomic.Pointer[memConn]
}

func (s *Sim) logf(format string, args ...any) {
	fmt.Fprintf(s.cfg.Log, "%6.1fs  "+format+"\n", append([]any{time.Since(s.start).Seconds()}, args...)...)
}

// liveNodes are the nodes started and not killed.
func (s *Sim) liveNodes() []*node {
	if p := s.live.Load(); p != nil {
		return *p
	}
	return nil
}

func (s *Sim) setLive() {
	var l []*node
	for _, n := range s.nodes {
		if n != nil && !n.dying.Load() {
			l = append(l, n)
		}
	}
	s.live.Store(&l)
}

// closed is told by a writer that c's connection is closed: a user of a
// dying node (1001) reconnects to another live node, as a client would.
func (s *Sim) closed(c *memConn, code int) {
	if s.stopping.Load() || !c.node.dying.Load() || code != protocol.CloseGoingAway {
		return
	}
	s.moveMu.Lock()
	defer s.moveMu.Unlock()
	live := s.liveNodes()
	if len(live) == 0 {
		return
	}
	target := live[int(s.moved.Add(1))%len(live)]
	target.attach(c.user)
}

// runNATS starts the embedded NATS server: transport/nats's, or one with
// maxPayload when set.
func runNATS(maxPayload int32) (*server.Server, error) {
	if maxPayload == 0 {
		return wscnats.RunEmbedded("127.0.0.1:0")
	}
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, NoLog: true, NoSigs: true, MaxPayload: maxPayload})
	if err != nil {
		return nil, err
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		return nil, fmt.Errorf("sim: the NATS server did not start")
	}
	return ns, nil
}

// Run runs the simulation and returns what it measured. It stops every node
// and the NATS server before it returns.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Sim{cfg: cfg, ledger: newLedger(), start: time.Now(), victim: -1}
	ns, err := runNATS(cfg.MaxPayload)
	if err != nil {
		return nil, err
	}
	s.ns = ns
	defer func() {
		s.stopping.Store(true)
		stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var wg sync.WaitGroup
		for _, n := range s.nodes {
			if n != nil {
				wg.Add(1)
				go func() { defer wg.Done(); n.stop(stopCtx) }()
			}
		}
		wg.Wait()
		ns.Shutdown()
		ns.WaitForShutdown()
	}()
	return s.run(ctx)
}
