package sim

import (
	"context"
	"time"
)

// The phases of a run, for the lag probe and the roster-ask counts.
const (
	phaseSetup = iota
	phaseSteady
	phaseJoin
	phaseDeath
	phases
)

var phaseNames = [phases]string{"set-up", "steady", "join", "death"}

// probe asks every live hub for its Stats every 250 ms and keeps, per phase,
// the longest wait for an answer: how far behind a hub's mailbox ran (a hub
// more than three heartbeats behind is taken for dead by the others).
func (s *Sim) probe(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		for _, n := range s.liveNodes() {
			start := time.Now()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			_, err := n.hub.Stats(ctx)
			cancel()
			if err != nil {
				continue // stopping
			}
			lag := &s.lags[s.phase.Load()]
			if d := int64(time.Since(start)); d > lag.Load() {
				lag.Store(d)
			}
		}
	}
}

// enter starts phase p: the roster asks so far are the previous phase's.
func (s *Sim) enter(ctx context.Context, p int32, r *Result) {
	asks := s.rosterAsks(ctx)
	prev := s.phase.Load()
	r.PhaseAsks[prev] = asks - s.asksAt
	s.asksAt = asks
	s.phase.Store(p)
}
