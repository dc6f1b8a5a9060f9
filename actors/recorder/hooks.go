package recorder

import (
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
)

// hookKind names the five hooks.
type hookKind uint8

const (
	hookCreated hookKind = iota
	hookStatus
	hookRetry
	hookExpired
	hookDeleted
	numHooks
)

// OnRecordCreated registers fn, called with a copy of each new record.
func (r *Recorder) OnRecordCreated(fn func(Record)) { r.addHook(hookCreated, fn, fn == nil) }

// OnStatusUpdated registers fn, called with a copy of the record after each
// status change, and the statuses before and after it.
func (r *Recorder) OnStatusUpdated(fn func(rec Record, old, new Status)) {
	r.addHook(hookStatus, fn, fn == nil)
}

// OnRetryAttempt registers fn, called with a copy of the record after each
// retry attempt, and the attempt's number.
func (r *Recorder) OnRetryAttempt(fn func(Record, int)) { r.addHook(hookRetry, fn, fn == nil) }

// OnRecordExpired registers fn, called with a copy of each record the
// retention clean-up removes, just before its deleted hook.
func (r *Recorder) OnRecordExpired(fn func(Record)) { r.addHook(hookExpired, fn, fn == nil) }

// OnRecordDeleted registers fn, called with the id of each record removed
// (retention, MaxRecords eviction, DeleteRecord).
func (r *Recorder) OnRecordDeleted(fn func(id string)) { r.addHook(hookDeleted, fn, fn == nil) }

// addHook registers a hook through the recorder, so the recorder knows which
// kinds have listeners and the hook lands in the runner's mailbox before any
// event the recorder applies after it.
func (r *Recorder) addHook(kind hookKind, fn any, isNil bool) {
	if isNil || !r.live() {
		return
	}
	r.root.Send(r.pid, &addHook{kind: kind, fn: fn})
}

// emit queues one hook call on the hook runner.
func (a *recorderActor) emit(ev hookEvent) { a.root.Send(a.hooks, &ev) }

// hookRunner is the actor that runs hooks, one at a time, in the order the
// recorder emitted them. It owns the hook lists.
type hookRunner struct {
	created []func(Record)
	status  []func(Record, Status, Status)
	retry   []func(Record, int)
	expired []func(Record)
	deleted []func(string)
	panics  *atomic.Uint64
	done    chan struct{} // closed when the runner has stopped
}

// Receive implements actor.Actor.
func (h *hookRunner) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *hookEvent:
		h.run(m)
	case *addHook:
		h.add(m)
	case *actor.Stopped:
		close(h.done)
	}
}

func (h *hookRunner) add(m *addHook) {
	switch fn := m.fn.(type) {
	case func(Record):
		if m.kind == hookCreated {
			h.created = append(h.created, fn)
		} else {
			h.expired = append(h.expired, fn)
		}
	case func(Record, Status, Status):
		h.status = append(h.status, fn)
	case func(Record, int):
		h.retry = append(h.retry, fn)
	case func(string):
		h.deleted = append(h.deleted, fn)
	}
}

func (h *hookRunner) run(ev *hookEvent) {
	switch ev.kind {
	case hookCreated:
		for i, fn := range h.created {
			rec := ev.copyFor(i, len(h.created))
			h.safe(func() { fn(rec) })
		}
	case hookStatus:
		for i, fn := range h.status {
			rec := ev.copyFor(i, len(h.status))
			h.safe(func() { fn(rec, ev.from, ev.to) })
		}
	case hookRetry:
		for i, fn := range h.retry {
			rec := ev.copyFor(i, len(h.retry))
			h.safe(func() { fn(rec, ev.n) })
		}
	case hookExpired:
		for i, fn := range h.expired {
			rec := ev.copyFor(i, len(h.expired))
			h.safe(func() { fn(rec) })
		}
	case hookDeleted:
		for _, fn := range h.deleted {
			h.safe(func() { fn(ev.id) })
		}
	}
}

// copyFor gives hook i of n its own copy of the record, so that one hook
// changing what it got cannot touch what the next one gets; the last hook
// takes the event's copy itself.
func (ev *hookEvent) copyFor(i, n int) Record {
	if i == n-1 {
		return ev.rec
	}
	return ev.rec.Clone()
}

// safe calls fn, recovering and counting a panic.
func (h *hookRunner) safe(fn func()) {
	defer func() {
		if recover() != nil {
			h.panics.Add(1)
		}
	}()
	fn()
}
