package session

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/protocol"
)

// Props makes the props of a session actor for one connection.
func Props(cfg Config, id Identity, t Transport) *actor.Props {
	if cfg.Counters == nil {
		cfg.Counters = &Counters{}
	}
	return actor.PropsFromProducer(func() actor.Actor {
		return &sessionActor{cfg: cfg, id: id, t: t}
	})
}

// sessionActor is the state of one connection; only its mailbox touches it.
type sessionActor struct {
	cfg  Config
	id   Identity
	t    Transport
	self *actor.PID
	root *actor.RootContext

	lastSeen time.Time
	nextPing time.Time
	timer    *time.Timer
	gen      uint64

	tokens    float64
	lastToken time.Time

	refresh refreshState // the credential's timer (refresh.go)

	closing   bool // Close asked of the transport; waiting for TransportDone
	closeCode int  // the code we closed with (0: the peer or the network did)
	gone      bool // Gone sent; waiting for Release
	hubGone   bool // the hub stopped: nobody will answer Gone
}

func (s *sessionActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *Control:
		s.sendControl(m.Msg)
	case *Received:
		s.received(m.Data)
	case *Post:
		s.post(m)
	case *Pong:
		s.lastSeen = time.Now()
	case *tick:
		if m.gen == s.gen {
			s.onTick(time.Now())
		}
	case *refreshTick:
		s.onRefreshTick(m, time.Now())
	case *CloseCmd:
		s.close(m.Code, m.Text)
	case *TransportDone:
		s.transportDone()
		if s.hubGone {
			ctx.Stop(s.self)
		}
	case *actor.Terminated:
		// the hub is gone (stopped, or never there when this session started):
		// end the connection rather than live on unregistered
		s.hubGone = true
		s.close(protocol.CloseGoingAway, protocol.CloseText(protocol.CloseGoingAway))
		if s.gone {
			ctx.Stop(s.self)
		}
	case *Release:
		ctx.Stop(s.self)
	case *actor.Started:
		s.self, s.root = ctx.Self(), ctx.ActorSystem().Root
		now := time.Now()
		s.lastSeen, s.lastToken, s.tokens = now, now, float64(s.cfg.RateBurst)
		s.nextPing = now.Add(s.cfg.HeartbeatInterval)
		ctx.Watch(s.cfg.Hub)
		s.root.Send(s.cfg.Hub, &Register{PID: s.self, Identity: s.id, Kind: s.t.Kind(), Transport: s.t, At: now})
		s.arm(now)
		s.startRefresh(now)
	case *actor.Stopping:
		s.stopTimer()
		// the hub keeps its watchers until they unwatch: without this every
		// session ever made would stay reachable from the hub's context
		if !s.hubGone {
			ctx.Unwatch(s.cfg.Hub)
		}
		s.stopRefresh()
		if !s.gone { // stopped from outside (hub shutdown fallback): end the connection too
			s.t.Close(protocol.CloseGoingAway, protocol.CloseText(protocol.CloseGoingAway))
		}
	}
}

// sendControl writes a frame that only this connection gets (pong, error). It
// may be lost with the connection: it is no message anybody routed.
func (s *sessionActor) sendControl(m *protocol.Message) {
	data, err := protocol.Encode(m)
	if err != nil || s.closing || s.gone {
		return
	}
	if !s.t.Send(&Frame{Msg: m, Data: data}) {
		s.cfg.Counters.SlowConsumer.Add(1)
		s.close(protocol.CloseSlowConsumer, protocol.CloseText(protocol.CloseSlowConsumer))
	}
}

func (s *sessionActor) close(code int, text string) {
	if s.closing || s.gone {
		return
	}
	s.closing, s.closeCode = true, code
	s.stopTimer()
	s.t.Close(code, text)
}

func (s *sessionActor) transportDone() {
	if s.gone {
		return
	}
	s.closing, s.gone = true, true
	s.stopTimer()
	// the frames never written stay in the outbox: the hub drains it on Gone
	s.root.Send(s.cfg.Hub, &Gone{PID: s.self, UserID: s.id.UserID, Code: s.closeCode})
}
