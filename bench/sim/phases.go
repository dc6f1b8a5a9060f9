package sim

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// join starts node i with its users while the others run, and measures how
// long until it sees every user (through the roster answers its first digests
// ask for) and every node sees its users (through their deltas).
func (s *Sim) join(ctx context.Context, i, wakeRoom int, r *Result) error {
	before, _, err := snapshot(s.ns)
	if err != nil {
		return err
	}
	t0 := time.Now()
	n, err := s.startNode(i, s.ns.ClientURL(), wakeRoom)
	if err != nil {
		return err
	}
	s.nodes[i] = n
	s.setLive()
	for _, u := range s.users[i] {
		n.attach(u)
	}
	r.JoinAttach = time.Since(t0)
	s.ready.Store(int32(i + 1))
	others := s.liveNodes()
	d, ok := s.waitFor(ctx, time.Minute, 5*time.Millisecond, func() bool {
		last := s.users[i][len(s.users[i])-1].id
		for _, m := range others {
			if m == n {
				continue
			}
			if !s.isOn(m, last, n.name) || !s.isOn(n, s.users[m.idx][len(s.users[m.idx])-1].id, m.name) {
				return false
			}
		}
		return true
	})
	if !ok {
		return fmt.Errorf("sim: presence did not converge within a minute of %s joining", n.name)
	}
	r.JoinConvergence = time.Since(t0)
	after, _, err := snapshot(s.ns)
	if err != nil {
		return err
	}
	r.JoinRecvBytes = after[n.name].RecvBytes - before[n.name].RecvBytes
	r.JoinRecvMsgs = after[n.name].RecvMsgs - before[n.name].RecvMsgs
	s.logf("%s joined: its %d users attached in %.2fs, presence converged %.2fs after its start (%.2fs after the last attach)",
		n.name, len(s.users[i]), r.JoinAttach.Seconds(), r.JoinConvergence.Seconds(), d.Seconds())
	return nil
}

// kill cuts node i's bus without a goodbye and stops its hub; its users
// reconnect to the other nodes. It measures how long until no live node
// places any of a sample of its users on it any more (the heartbeat TTL).
func (s *Sim) kill(ctx context.Context, i int, r *Result) error {
	n := s.nodes[i]
	n.dying.Store(true)
	s.setLive()
	t0 := time.Now()
	killed := make(chan struct{})
	go func() { defer close(killed); n.kill(ctx) }()
	us := s.users[i]
	sample := []string{us[0].id, us[len(us)/2].id, us[len(us)-1].id}
	live := s.liveNodes()
	if _, ok := s.waitFor(ctx, time.Minute, 5*time.Millisecond, func() bool {
		for _, m := range live {
			for _, u := range sample {
				if s.isOn(m, u, n.name) {
					return false
				}
			}
		}
		return true
	}); !ok {
		return fmt.Errorf("sim: the nodes still place %s's users there a minute after its death", n.name)
	}
	r.DeathConvergence = time.Since(t0)
	<-killed
	if _, ok := s.waitFor(ctx, time.Minute, 10*time.Millisecond, func() bool { return s.moved.Load() >= int64(len(us)) }); !ok {
		return fmt.Errorf("sim: %d of %s's %d users reconnected", s.moved.Load(), n.name, len(us))
	}
	r.Moved = int(s.moved.Load())
	s.logf("%s killed: no node places its users there %.2fs later; %d users reconnected elsewhere",
		n.name, r.DeathConvergence.Seconds(), r.Moved)
	return nil
}

// settle waits until every copy owed was written by a connection or sits in
// a live node's offline store, for up to five heartbeats and 10 s (a
// forwarded copy with no delivery report goes to its sender's offline store
// after three); what is still missing then is lost.
func (s *Sim) settle(ctx context.Context, r *Result) {
	var inStore, lost, storedOnline int
	var lostEx []string
	byID := map[string]*user{}
	for _, us := range s.users {
		for _, u := range us {
			byID[u.id] = u
		}
	}
	d, _ := s.waitFor(ctx, 5*s.cfg.Heartbeat+10*time.Second, 50*time.Millisecond, func() bool {
		inStore, lost, storedOnline, lostEx = 0, 0, 0, nil
		for user, contents := range s.ledger.missing() {
			stored := map[string]bool{}
			for _, n := range s.liveNodes() {
				c, cancel := context.WithTimeout(ctx, 10*time.Second)
				ms, err := n.hub.OfflineMessages(c, user)
				cancel()
				if err != nil {
					continue
				}
				for _, m := range ms {
					stored[m.Content] = true
				}
			}
			for _, content := range contents {
				if stored[content] {
					inStore++
					if c := byID[user].conn.Load(); c != nil && !c.closed.Load() {
						storedOnline++ // stored while the user is connected: it waits for the next connection
					}
				} else {
					lost++
					if len(lostEx) < 5 {
						lostEx = append(lostEx, user+" "+content)
					}
				}
			}
		}
		return lost == 0
	})
	r.Settle = d
	r.InOfflineStores, r.StoredOnline, r.Lost, r.LostExamples = inStore, storedOnline, lost, lostEx
	r.Owed, r.Written, r.Duplicates = s.ledger.tally()
	s.ledger.mu.Lock()
	r.SentP2P, r.SentTicket, r.Broadcasts, r.BroadcastCopies, r.Refused =
		s.ledger.sentP2P, s.ledger.sentTkt, s.ledger.sentBcast, s.ledger.bcast, s.ledger.refused
	s.ledger.mu.Unlock()
	r.CrossLatency, r.SameLatency = s.ledger.latencies()
	s.logf("settled in %.1fs: %d copies owed, %d written, %d in offline stores, %d lost", d.Seconds(), r.Owed, r.Written, r.InOfflineStores, r.Lost)
}

// collect sums the live hubs' counters and sizes the presence messages.
func (s *Sim) collect(ctx context.Context, r *Result) {
	for _, n := range s.liveNodes() {
		st, err := n.hub.Stats(ctx)
		if err != nil {
			continue
		}
		r.ForwardsLost += st.ForwardsLost
		r.RosterAsks += st.RosterAsks
		r.BusPublishErrors += st.BusPublishErrors
		r.SlowConsumerCloses += st.SlowConsumerCloses
		r.SlowSubscriber += n.bus.SlowConsumerEvents()
	}
	r.DigestBytes, r.RosterBytes = presenceSizes(nodeName(0), idsOf(s.users[0]))
	slices.SortFunc(r.Steady, func(a, b NodeBus) int {
		if a.Node < b.Node {
			return -1
		}
		return 1
	})
}

func idsOf(us []*user) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.id
	}
	return out
}
