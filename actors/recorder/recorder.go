package recorder

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors"

	"github.com/go-wsc/go-wsc/protocol"
)

// Recorder is the facade over the recorder actor. See the package doc for
// which goroutine runs what. A nil *Recorder is a disabled one.
type Recorder struct {
	cfg       Config // with defaults; never changed after New
	root      *actor.RootContext
	pid       *actor.PID    // nil when disabled
	hooks     *actor.PID    // the hook runner
	done      chan struct{} // closed when the recorder actor has stopped
	hooksDone chan struct{} // closed when the hook runner has stopped
	stopping  atomic.Bool
	panics    atomic.Uint64
}

// New starts a recorder in system: the recorder actor and its hook runner.
// With cfg.Enabled false it starts nothing and returns a disabled recorder.
func New(system *actor.ActorSystem, cfg Config) (*Recorder, error) {
	if !cfg.Enabled {
		return &Recorder{}, nil
	}
	if system == nil {
		return nil, ErrNoActorSystem
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	r := &Recorder{
		cfg:       cfg,
		root:      system.Root,
		done:      make(chan struct{}),
		hooksDone: make(chan struct{}),
	}
	runner := &hookRunner{panics: &r.panics, done: r.hooksDone}
	r.hooks = r.root.SpawnPrefix(actor.PropsFromProducer(func() actor.Actor { return runner }), "recorder-hooks")
	a := newRecorderActor(cfg, r.hooks, r.done)
	// a goroutine of its own: the recorder runs after most of the hub's turns
	r.pid = r.root.SpawnPrefix(actor.PropsFromProducer(func() actor.Actor { return a },
		actor.WithDispatcher(actors.OwnGoroutine(r.done))), "recorder")
	return r, nil
}

// Enabled reports whether r records anything.
func (r *Recorder) Enabled() bool { return r != nil && r.pid != nil }

// PID is the recorder actor's PID, nil when disabled.
func (r *Recorder) PID() *actor.PID {
	if !r.Enabled() {
		return nil
	}
	return r.pid
}

// Config returns the configuration in use, defaults applied.
func (r *Recorder) Config() Config {
	if r == nil {
		return Config{}
	}
	return r.cfg
}

// live reports whether events should be sent: enabled and not stopping.
func (r *Recorder) live() bool { return r.Enabled() && !r.stopping.Load() }

// Created records a new message, status pending. The recorder keeps a Clone
// of msg, so the caller may change msg afterwards. A Created for an id that
// is already recorded is ignored: a resend keeps its record.
func (r *Recorder) Created(msg *protocol.Message, userID, ticketID string) {
	if msg == nil || !r.live() {
		return
	}
	r.root.Send(r.pid, &batchEvent{kind: batchAccepted, msg: msg.Clone(), user: userID, ticket: ticketID, status: StatusPending, at: time.Now()})
}

// Accepted is Created and a first Status in one event, for the hub, which
// knows a message's first outcome when it routes it: the record starts pending
// and moves at once to s (with reason, for a failure); for an id already
// recorded (a resend) only the move to s is applied. msg is kept without a
// copy: the caller promises never to change it again (the hub stamps a message
// before routing it and never after). Queries and hooks still get copies.
func (r *Recorder) Accepted(msg *protocol.Message, userID, ticketID string, s Status, reason Reason) {
	if msg == nil || !r.live() {
		return
	}
	r.root.Send(r.pid, &batchEvent{kind: batchAccepted, msg: msg, user: userID, ticket: ticketID, status: s, reason: reason, at: time.Now()})
}

// Status records that message id moved to status s; reason and errText say
// why, for failures. Events for an unknown id are ignored and counted.
func (r *Recorder) Status(id string, s Status, reason Reason, errText string) {
	if !r.live() {
		return
	}
	r.root.Send(r.pid, &statusEvent{id: id, status: s, reason: reason, err: errText, at: time.Now()})
}

// RetryAttempt records attempt n (from 1) to resend message id, and the
// error of the previous try, if any.
func (r *Recorder) RetryAttempt(id string, n int, errText string) {
	if !r.live() {
		return
	}
	r.root.Send(r.pid, &attemptEvent{id: id, n: n, err: errText, at: time.Now()})
}

// Stop stops the retention timer, lets the recorder apply the events already
// sent and the hook runner run the hooks already queued, then stops both. It
// returns ctx.Err() if ctx ends first (the actors still stop). Idempotent;
// nil on a disabled recorder.
func (r *Recorder) Stop(ctx context.Context) error {
	if !r.Enabled() {
		return nil
	}
	if r.stopping.CompareAndSwap(false, true) {
		r.root.Poison(r.pid)
	}
	for _, done := range []chan struct{}{r.done, r.hooksDone} {
		select {
		case <-done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
