package recorder

import (
	"context"
	"fmt"
)

// Named filters and handlers. They are kept by the actor but run on the
// caller's goroutine, with copies, so they may call the recorder.

// AddFilter registers fn as the filter name, replacing any filter of that
// name; a nil fn removes it.
func (r *Recorder) AddFilter(name string, fn func(Record) bool) {
	if !r.live() {
		return
	}
	r.root.Send(r.pid, &setFilter{name: name, fn: fn})
}

// FilterRecords returns copies of the records the filter name keeps, oldest
// first, or ErrFilterNotFound. The filter runs on the caller's goroutine; a
// panicking filter is recovered and counted, and the error wraps
// ErrHandlerPanic.
func (r *Recorder) FilterRecords(ctx context.Context, name string) ([]Record, error) {
	reply := make(chan result[filterCall], 1)
	call, err := askResult(ctx, r, &getFilter{name: name, reply: reply}, reply)
	if err != nil {
		return nil, err
	}
	out := call.recs[:0]
	err = r.guard(func() error {
		for _, rec := range call.recs {
			if call.fn(rec) {
				out = append(out, rec)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SetHandler registers fn as the handler name, replacing any handler of that
// name; a nil fn removes it.
func (r *Recorder) SetHandler(name string, fn func(Record) error) {
	if !r.live() {
		return
	}
	r.root.Send(r.pid, &setHandler{name: name, fn: fn})
}

// ExecuteHandler runs the handler name on a copy of record id, on the
// caller's goroutine, and returns its error. A panicking handler is
// recovered and counted; the error then wraps ErrHandlerPanic.
func (r *Recorder) ExecuteHandler(ctx context.Context, name, id string) error {
	reply := make(chan result[handlerCall], 1)
	call, err := askResult(ctx, r, &getHandler{name: name, id: id, reply: reply}, reply)
	if err != nil {
		return err
	}
	return r.guard(func() error { return call.fn(call.rec) })
}

// guard calls fn, turning a panic into an error wrapping ErrHandlerPanic and
// counting it.
func (r *Recorder) guard(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			r.panics.Add(1)
			err = fmt.Errorf("%w: %v", ErrHandlerPanic, p)
		}
	}()
	return fn()
}

// Actor side.

func (a *recorderActor) setFilter(m *setFilter) {
	if m.fn == nil {
		delete(a.filters, m.name)
		return
	}
	a.filters[m.name] = m.fn
}

func (a *recorderActor) getFilter(m *getFilter) {
	fn, ok := a.filters[m.name]
	if !ok {
		m.reply <- result[filterCall]{err: ErrFilterNotFound}
		return
	}
	m.reply <- result[filterCall]{val: filterCall{fn: fn, recs: a.list(all, 0)}}
}

func (a *recorderActor) setHandler(m *setHandler) {
	if m.fn == nil {
		delete(a.handlers, m.name)
		return
	}
	a.handlers[m.name] = m.fn
}

func (a *recorderActor) getHandler(m *getHandler) {
	fn, ok := a.handlers[m.name]
	if !ok {
		m.reply <- result[handlerCall]{err: ErrHandlerNotFound}
		return
	}
	rec, ok := a.store.Get(m.id)
	if !ok {
		m.reply <- result[handlerCall]{err: ErrRecordNotFound}
		return
	}
	m.reply <- result[handlerCall]{val: handlerCall{fn: fn, rec: rec.Clone()}}
}

// all matches every record.
func all(*Record) bool { return true }
