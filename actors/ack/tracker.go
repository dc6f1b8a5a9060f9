package ack

import (
	"cmp"
	"slices"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
)

// Props makes the tracker; spawn it as a child of the hub (its parent receives
// Resend, GiveUp and Flushed).
func Props(cfg Config) *actor.Props {
	cfg = cfg.withDefaults()
	return actor.PropsFromProducer(func() actor.Actor {
		return &tracker{cfg: cfg, pending: map[key]*pending{}, byUser: map[string]map[string]struct{}{}}
	})
}

// key names one tracked copy: the same message goes to each member of a
// ticket, and each member acks it for themselves.
type key struct{ id, user string }

// pending is one message waiting for its ack.
type pending struct {
	msg      *protocol.Message
	timeout  time.Duration
	maxRetry int
	resends  int
	first    time.Time
	timer    *time.Timer
	gen      uint64
	waiter   chan<- Outcome
	order    uint64 // when it was tracked, among all: give-ups keep this order
}

type tracker struct {
	cfg     Config
	self    *actor.PID
	hub     *actor.PID
	root    *actor.RootContext
	pending map[key]*pending
	byUser  map[string]map[string]struct{} // user → ids pending
	tracked uint64                         // messages tracked so far (pending.order)
}

// giveUpInOrder gives up keys in the order their messages were tracked, so
// that the offline path keeps each user's messages in the order they were
// sent (map order is random).
func (t *tracker) giveUpInOrder(keys []key, r Result) {
	slices.SortFunc(keys, func(a, b key) int { return cmp.Compare(t.pending[a].order, t.pending[b].order) })
	for _, k := range keys {
		t.giveUp(k, r)
	}
}

func (t *tracker) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *Track:
		t.track(m)
	case *timeout:
		t.onTimeout(m)
	case *Ack:
		t.ack(m)
	case *UserGone:
		var keys []key
		for id := range t.byUser[m.UserID] {
			keys = append(keys, key{id, m.UserID})
		}
		t.giveUpInOrder(keys, Offline)
	case *Stored:
		t.report(m.Waiter, Outcome{MessageID: m.Msg.ID, UserID: m.UserID, Result: Offline, Msg: m.Msg})
	case *Drop:
		t.giveUp(key{m.MessageID, m.UserID}, Offline)
	case *Flush:
		keys := make([]key, 0, len(t.pending))
		for k := range t.pending {
			keys = append(keys, k)
		}
		t.giveUpInOrder(keys, Offline)
		ctx.Send(t.hub, &Flushed{})
	case *actor.Started:
		t.self, t.hub, t.root = ctx.Self(), ctx.Parent(), ctx.ActorSystem().Root
	case *actor.Stopping:
		for _, p := range t.pending {
			p.timer.Stop()
		}
	}
}

func (t *tracker) track(m *Track) {
	k := key{m.Msg.ID, m.UserID}
	if _, ok := t.pending[k]; ok {
		return // already tracked: the first copy's timers stand
	}
	t.tracked++
	p := &pending{msg: m.Msg, timeout: m.Timeout, maxRetry: m.MaxRetry, first: time.Now(), waiter: m.Waiter, order: t.tracked}
	if p.timeout <= 0 {
		p.timeout = t.cfg.Timeout
	}
	if p.maxRetry == 0 {
		p.maxRetry = t.cfg.MaxRetry
	}
	t.pending[k] = p
	ids := t.byUser[m.UserID]
	if ids == nil {
		ids = map[string]struct{}{}
		t.byUser[m.UserID] = ids
	}
	ids[k.id] = struct{}{}
	t.arm(k, p)
}

// arm waits timeout × 2^resends, capped at MaxBackoff.
func (t *tracker) arm(k key, p *pending) {
	wait := p.timeout << p.resends
	if wait > t.cfg.MaxBackoff || wait <= 0 {
		wait = t.cfg.MaxBackoff
	}
	p.gen++
	gen, self, root := p.gen, t.self, t.root
	p.timer = time.AfterFunc(wait, func() { root.Send(self, &timeout{key: k, gen: gen}) })
}

func (t *tracker) onTimeout(m *timeout) {
	p := t.pending[m.key]
	if p == nil || p.gen != m.gen {
		return // acked or given up meanwhile, or a stale timer
	}
	if p.resends >= max(p.maxRetry, 0) {
		t.giveUp(m.key, MaxRetry)
		return
	}
	p.resends++
	t.root.Send(t.hub, &Resend{Msg: p.msg, UserID: m.key.user, Attempt: p.resends})
	t.arm(m.key, p)
}

func (t *tracker) ack(m *Ack) {
	k := key{m.MessageID, m.UserID}
	p := t.pending[k]
	if p == nil {
		errFrame := protocol.NewError(protocol.CodeUnknownMessage, "wsc: no pending message "+m.MessageID, m.MessageID)
		if m.PID != nil {
			t.root.Send(m.PID, &session.Control{Msg: errFrame})
		}
		return
	}
	o := Outcome{MessageID: k.id, UserID: k.user, Result: Acknowledged, Resends: p.resends, RTT: time.Since(p.first), Msg: p.msg}
	if m.Status == protocol.AckFailed {
		o.Result, o.Error = Rejected, m.Error
	}
	t.finish(k, p, o)
}

// giveUp ends tracking and hands the message to the hub's offline path.
func (t *tracker) giveUp(k key, r Result) {
	p := t.pending[k]
	if p == nil {
		return
	}
	// the hub hears first: once a waiter has its outcome, the message is already
	// on its way to the offline path, ahead of anything the waiter asks next
	t.root.Send(t.hub, &GiveUp{Msg: p.msg, UserID: k.user, Result: r})
	t.finish(k, p, Outcome{MessageID: k.id, UserID: k.user, Result: r, Resends: p.resends, Msg: p.msg})
}

func (t *tracker) finish(k key, p *pending, o Outcome) {
	p.timer.Stop()
	p.gen++
	delete(t.pending, k)
	if ids := t.byUser[k.user]; ids != nil {
		delete(ids, k.id)
		if len(ids) == 0 {
			delete(t.byUser, k.user)
		}
	}
	t.report(p.waiter, o)
}

// report gives an outcome to its waiter and to the observer: from this
// mailbox only, so an observer needs no synchronisation of its own.
func (t *tracker) report(waiter chan<- Outcome, o Outcome) {
	if waiter != nil {
		select {
		case waiter <- o:
		default: // a waiter without room: the tracker never blocks
		}
	}
	if t.cfg.Observer != nil {
		t.cfg.Observer(o)
	}
}
