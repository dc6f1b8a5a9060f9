package session

import (
	"time"

	"github.com/go-wsc/go-wsc/protocol"
)

// One timer per session serves both the keepalive and the idle deadline: it is
// armed for whichever comes first. Inbound traffic only moves lastSeen (no timer
// reset per frame); when the timer fires early it is simply armed again.

func (s *sessionActor) onTick(now time.Time) {
	if s.closing || s.gone {
		return
	}
	if s.cfg.ClientTimeout > 0 && now.Sub(s.lastSeen) >= s.cfg.ClientTimeout+s.slack {
		s.cfg.Counters.IdleTimeouts.Add(1)
		s.close(protocol.CloseIdleTimeout, protocol.CloseText(protocol.CloseIdleTimeout))
		return
	}
	if s.cfg.HeartbeatInterval > 0 && !now.Before(s.nextPing) {
		s.t.Heartbeat()
		s.nextPing = now.Add(s.cfg.HeartbeatInterval)
	}
	s.arm(now)
}

// arm schedules the next tick; stale ticks are told apart by generation.
func (s *sessionActor) arm(now time.Time) {
	var next time.Time
	if s.cfg.HeartbeatInterval > 0 {
		next = s.nextPing
	}
	if s.cfg.ClientTimeout > 0 {
		if idle := s.lastSeen.Add(s.cfg.ClientTimeout + s.slack); next.IsZero() || idle.Before(next) {
			next = idle
		}
	}
	if next.IsZero() {
		return
	}
	s.gen++
	gen, self, root := s.gen, s.self, s.root
	s.timer = time.AfterFunc(next.Sub(now), func() { root.Send(self, &tick{gen: gen}) })
}

func (s *sessionActor) stopTimer() {
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	s.gen++
}
