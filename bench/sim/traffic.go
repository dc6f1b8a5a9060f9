package sim

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// traffic sends the steady mix until stop is closed: p2p and ticket messages
// as client frames into the sending user's session (the path a socket's
// reader takes), broadcasts through a live node's Hub.Broadcast. Only this
// goroutine draws from rng and counts seq.
func (s *Sim) traffic(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	rng := rand.New(rand.NewPCG(17, 2026))
	seq := 0
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	last := time.Now()
	nextB := last.Add(s.cfg.BroadcastEvery)
	var p2p, tkt float64
	for {
		select {
		case <-stop:
			return
		case now := <-tick.C:
			dt := now.Sub(last).Seconds()
			last = now
			// a stalled tick does not turn into a burst: at most half a second is owed
			p2p = min(p2p+dt*s.cfg.P2PRate, s.cfg.P2PRate/2+1)
			tkt = min(tkt+dt*s.cfg.TicketRate, s.cfg.TicketRate/2+1)
			for ; p2p >= 1; p2p-- {
				seq++
				s.sendP2P(rng, seq)
			}
			for ; tkt >= 1; tkt-- {
				seq++
				s.sendTicket(rng, seq)
			}
			if s.cfg.BroadcastEvery > 0 && now.After(nextB) {
				nextB = now.Add(s.cfg.BroadcastEvery)
				seq++
				s.broadcast(rng, seq)
			}
		}
	}
}

// readyUsers are the users of the nodes started so far (the joiner's once it
// has joined).
func (s *Sim) readyUsers() [][]*user { return s.users[:s.ready.Load()] }

func (s *Sim) pick(rng *rand.Rand) *user {
	us := s.readyUsers()
	home := us[rng.IntN(len(us))]
	return home[rng.IntN(len(home))]
}

// sendable is u's connection when u can send now: connected, and not to the
// node that will die (what it accepts dies with it: its store is in memory,
// and a message in its mailbox when its bus goes is kept there).
func (s *Sim) sendable(u *user) *memConn {
	c := u.conn.Load()
	if c == nil || c.closed.Load() || c.node.idx == s.victim {
		return nil
	}
	select {
	case <-c.ready:
		return c
	default:
		return nil
	}
}

func (s *Sim) sendP2P(rng *rand.Rand, seq int) {
	for range 10 {
		from, to := s.pick(rng), s.pick(rng)
		c := s.sendable(from)
		if c == nil || from == to {
			continue
		}
		cross := "1"
		if tc := to.conn.Load(); tc != nil && tc.node == c.node {
			cross = "0"
		}
		content := fmt.Sprintf("p|%d|%d|%s", seq, time.Now().UnixNano(), cross)
		msgID := fmt.Sprint("c", seq)
		s.ledger.sent(msgID, content, []string{to.id})
		c.node.sys.Root.Send(c.pid, &session.Received{Data: fmt.Appendf(nil,
			`{"to":%q,"content":%q,"msg_id":%q}`, to.id, content, msgID)})
		return
	}
}

func (s *Sim) sendTicket(rng *rand.Rand, seq int) {
	if len(s.tickets) == 0 {
		return
	}
	for range 10 {
		t := rng.IntN(len(s.tickets))
		members := s.tickets[t]
		from := members[rng.IntN(len(members))]
		c := s.sendable(from)
		if c == nil {
			continue
		}
		var others []string
		for _, m := range members {
			if m != from {
				others = append(others, m.id)
			}
		}
		content := fmt.Sprint("t|", seq)
		msgID := fmt.Sprint("c", seq)
		s.ledger.sent(msgID, content, others)
		c.node.sys.Root.Send(c.pid, &session.Received{Data: fmt.Appendf(nil,
			`{"ticket_id":"T%d","content":%q,"msg_id":%q}`, t, content, msgID)})
		return
	}
}

func (s *Sim) broadcast(rng *rand.Rand, seq int) {
	live := s.liveNodes()
	if len(live) == 0 {
		return
	}
	n := live[rng.IntN(len(live))]
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if n.hub.Broadcast(ctx, &protocol.Message{Content: fmt.Sprint("b|", seq)}) == nil {
		s.ledger.broadcastSent()
	}
}
