package sim

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"time"
)

// run is the run's phases, in order: nodes and users, tickets, converged
// presence, traffic, the steady window, a node joining, a node dying, the
// settling of every owed copy.
func (s *Sim) run(ctx context.Context) (*Result, error) {
	cfg := s.cfg
	r := &Result{Config: cfg}
	joiner, victim := -1, -1
	if !cfg.NoJoin {
		joiner = cfg.Nodes - 1
	}
	if !cfg.NoKill {
		victim = 1
	}
	s.victim = victim
	s.nodes = make([]*node, cfg.Nodes)
	s.users = make([][]*user, cfg.Nodes)
	for i := range s.users {
		s.users[i] = make([]*user, cfg.UsersPerNode)
		for j := range s.users[i] {
			s.users[i][j] = &user{id: fmt.Sprintf("u%02d-%d", i+1, j), home: i}
		}
	}
	first := cfg.Nodes
	if joiner >= 0 {
		first--
	}
	wakeRoom := 2*cfg.UsersPerNode + 1024 // its users, and those that move to it
	for i := range first {
		n, err := s.startNode(i, s.ns.ClientURL(), wakeRoom)
		if err != nil {
			return nil, err
		}
		s.nodes[i] = n
	}
	s.setLive()
	probeStop, probeDone := make(chan struct{}), make(chan struct{})
	go s.probe(probeStop, probeDone)
	defer func() {
		close(probeStop)
		<-probeDone
		for p := range phases {
			r.PhaseLag[p] = time.Duration(s.lags[p].Load())
		}
	}()
	t0 := time.Now()
	var wg sync.WaitGroup
	for i := range first {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, u := range s.users[i] {
				s.nodes[i].attach(u)
			}
		}()
	}
	wg.Wait()
	s.ready.Store(int32(first))
	if _, ok := s.waitFor(ctx, 5*time.Minute, 50*time.Millisecond, func() bool { return s.seenEverywhere(s.nodes[:first]) }); !ok {
		return nil, fmt.Errorf("sim: presence of %d×%d users never converged", first, cfg.UsersPerNode)
	}
	r.SetupUsers = time.Since(t0)
	s.logf("%d nodes × %d users attached, every node sees every user (%.1fs)", first, cfg.UsersPerNode, r.SetupUsers.Seconds())

	if !cfg.NoTraffic {
		if err := s.makeTickets(ctx, first); err != nil {
			return nil, err
		}
		s.logf("%d tickets of %d members replicated on every node", len(s.tickets), cfg.TicketMembers)
	}
	stop, stopped := make(chan struct{}), make(chan struct{})
	if cfg.NoTraffic {
		close(stopped)
	} else {
		go s.traffic(stop, stopped)
	}
	stopTraffic := sync.OnceFunc(func() { close(stop); <-stopped })
	defer stopTraffic()

	// the steady window: bus traffic per node, every node up, before the join and the death
	time.Sleep(2 * cfg.Heartbeat) // warm-up: reports and heartbeats at their pace (a measured window, not a wait for an event)
	a, ta, err := snapshot(s.ns)
	if err != nil {
		return nil, err
	}
	s.enter(ctx, phaseSteady, r)
	asks := s.asksAt
	cpu0, sent0 := cpuTime(), s.ledger.sentCount()
	s.ledger.measure(true)
	time.Sleep(cfg.Steady)
	s.ledger.measure(false)
	r.SteadyCPU, r.SteadySent = cpuTime()-cpu0, s.ledger.sentCount()-sent0
	r.SteadyRosterAsks = s.rosterAsks(ctx) - asks
	b, tb, err := snapshot(s.ns)
	if err != nil {
		return nil, err
	}
	r.Steady = rates(a, b, ta, tb)
	if cfg.NoTraffic { // after the window: a GC of a large heap takes seconds // the memory presence holds: every node's users, and its view of the others
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		r.LiveHeap = ms.HeapAlloc
	}
	s.logf("steady window measured (%.1fs)", tb.Sub(ta).Seconds())

	s.enter(ctx, phaseJoin, r)
	if joiner >= 0 {
		if err := s.join(ctx, joiner, wakeRoom, r); err != nil {
			return nil, err
		}
	}
	s.enter(ctx, phaseDeath, r)
	if victim >= 0 {
		if err := s.kill(ctx, victim, r); err != nil {
			return nil, err
		}
	}
	if !cfg.NoTraffic {
		time.Sleep(2 * cfg.Heartbeat) // traffic after the death, to the users that moved
	}
	stopTraffic()
	s.enter(ctx, phaseDeath, r) // the death phase's asks, traffic after it included
	s.logf("traffic stopped")
	s.settle(ctx, r)
	s.collect(ctx, r)
	r.Elapsed = time.Since(s.start)
	return r, nil
}

// rosterAsks sums the live hubs' roster asks: a digest that disagreed.
func (s *Sim) rosterAsks(ctx context.Context) int64 {
	var n int64
	for _, nd := range s.liveNodes() {
		if st, err := nd.hub.Stats(ctx); err == nil {
			n += st.RosterAsks
		}
	}
	return n
}

// waitFor polls cond every poll until it holds (true, and how long it took)
// or timeout or ctx ends.
func (s *Sim) waitFor(ctx context.Context, timeout, poll time.Duration, cond func() bool) (time.Duration, bool) {
	start := time.Now()
	deadline := start.Add(timeout)
	for {
		if cond() {
			return time.Since(start), true
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return time.Since(start), false
		}
		select {
		case <-time.After(poll):
		case <-ctx.Done():
		}
	}
}

// seenEverywhere: every node of nodes sees the last user of every node of
// nodes where it is. Presence deltas of one node arrive in the order sent,
// and a roster answer is a whole list: seeing the last user means seeing all.
func (s *Sim) seenEverywhere(nodes []*node) bool {
	for _, n := range nodes {
		for _, m := range nodes {
			if m == n {
				continue
			}
			u := s.users[m.idx][len(s.users[m.idx])-1]
			if !s.isOn(n, u.id, m.name) {
				return false
			}
		}
	}
	return true
}

func (s *Sim) isOn(n *node, userID, where string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	w, err := n.hub.WhereIs(ctx, userID)
	return err == nil && slices.Contains(w, where)
}

// makeTickets makes one ticket per 10 users of the first nodes, each with
// distinct members drawn from every node, joined through node 0 (the
// memberships replicate over the bus), and waits until every node has them.
func (s *Sim) makeTickets(ctx context.Context, first int) error {
	rng := rand.New(rand.NewPCG(1, 17))
	n := first * s.cfg.UsersPerNode / 10
	s.tickets = make([][]*user, n)
	h := s.nodes[0].hub
	for t := range s.tickets {
		for len(s.tickets[t]) < s.cfg.TicketMembers {
			u := s.users[rng.IntN(first)][rng.IntN(s.cfg.UsersPerNode)]
			if slices.Contains(s.tickets[t], u) {
				continue
			}
			s.tickets[t] = append(s.tickets[t], u)
			if err := h.JoinTicket(ctx, fmt.Sprint("T", t), u.id); err != nil {
				return fmt.Errorf("sim: join ticket: %w", err)
			}
		}
	}
	last := fmt.Sprint("T", n-1)
	if _, ok := s.waitFor(ctx, time.Minute, 20*time.Millisecond, func() bool {
		for _, nd := range s.nodes[:first] {
			m, err := nd.hub.TicketMembers(ctx, last)
			if err != nil || len(m) != s.cfg.TicketMembers {
				return false
			}
		}
		return true
	}); !ok {
		return fmt.Errorf("sim: ticket memberships never replicated")
	}
	return nil
}
