package session

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/protocol"
)

// Props makes the props of a session actor for one connection.
func Props(cfg Config, id Identity, t Transport) *actor.Props {
	return props(cfg, id, t, false)
}

// props makes the props; with registered, the first incarnation does not
// register on Started (Spawn has); a restarted one does, as always.
func props(cfg Config, id Identity, t Transport, registered bool) *actor.Props {
	if cfg.Counters == nil {
		cfg.Counters = &Counters{}
	}
	return actor.PropsFromProducer(func() actor.Actor {
		s := &sessionActor{cfg: cfg, id: id, t: t, registered: registered}
		registered = false
		return s
	})
}

// Spawn starts the session actor of one connection, calls bind with its PID
// (the transport keeps it: the hub may use the transport as soon as it hears
// of the session) and registers it with the hub before it returns, from the
// caller's goroutine: what the caller sends the hub afterwards (a transport
// reading through an Ingress routes frames to the hub directly) comes after
// the registration.
func Spawn(root *actor.RootContext, cfg Config, id Identity, t Transport, bind func(*actor.PID)) *actor.PID {
	pid := root.Spawn(props(cfg, id, t, true))
	bind(pid)
	root.Send(cfg.Hub, &Register{PID: pid, Identity: id, Kind: t.Kind(), Transport: t, At: time.Now()})
	return pid
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
	// slack is added to the idle deadline once an Ingress reads for this
	// session: it reports frames routed past the session at most that late
	slack time.Duration
	// registered: Spawn sent Register already (a restarted session
	// registers again on Started)
	registered bool

	refresh refreshState // the credential's timer (refresh.go)

	closing   bool // Close asked of the transport; waiting for TransportDone
	closeCode int  // the code we closed with (0: the peer or the network did)
	gone      bool // Gone sent; waiting for Release
	hubGone   bool // the hub stopped: nobody will answer Gone
}

func (s *sessionActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *Control:
		if !m.Consumed {
			s.sendControl(m.Msg)
		} else if !s.answer(m.Msg) {
			s.t.Consumed()
		}
	case *Received:
		s.received(m.Data)
	case *decoded:
		if !s.fromIngress(m) {
			s.t.Consumed()
		}
	case *alive:
		s.lastSeen, s.slack = m.at, aliveEvery(s.cfg)
	case *rateLimited:
		s.rateLimited()
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
		if !s.registered {
			s.root.Send(s.cfg.Hub, &Register{PID: s.self, Identity: s.id, Kind: s.t.Kind(), Transport: s.t, At: now})
		}
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
func (s *sessionActor) sendControl(m *protocol.Message) { s.queueControl(m, false) }

// answer queues m as the answer to an inbound frame, carrying that frame's
// credit (Frame.Credit); false when it was not queued and the credit is the
// caller's to give back.
func (s *sessionActor) answer(m *protocol.Message) bool { return s.queueControl(m, true) }

func (s *sessionActor) queueControl(m *protocol.Message, credit bool) bool {
	data, err := protocol.Encode(m)
	if err != nil || s.closing || s.gone {
		return false
	}
	if !s.t.Send(&Frame{Msg: m, Data: data, Credit: credit}) {
		s.cfg.Counters.SlowConsumer.Add(1)
		s.close(protocol.CloseSlowConsumer, protocol.CloseText(protocol.CloseSlowConsumer))
		return false
	}
	return true
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
