package storetest

import (
	"errors"
	"sync/atomic"

	"github.com/go-wsc/go-wsc/store"
)

// ErrInjected is the failure of a FaultyEngine.
var ErrInjected = errors.New("wsc: storetest: injected write failure")

// FaultyEngine wraps an engine: while Fail is set every Update fails (and
// changes nothing); while FailAfterApply is set every Update runs its
// function and then fails, so the engine rolls the transaction back (a
// commit the disk refused); while Gate is set Update waits for a value on it
// first, so a test can hold the writer and watch what queues up.
type FaultyEngine struct {
	store.Engine
	Fail           atomic.Bool
	FailAfterApply atomic.Bool
	Gate           atomic.Pointer[chan struct{}]
	Updates        atomic.Int64
}

// Update implements store.Engine.
func (e *FaultyEngine) Update(fn func(store.Tx) error) error {
	if g := e.Gate.Load(); g != nil {
		<-*g
	}
	e.Updates.Add(1)
	if e.Fail.Load() {
		return ErrInjected
	}
	if e.FailAfterApply.Load() {
		err := e.Engine.Update(func(tx store.Tx) error {
			if err := fn(tx); err != nil {
				return err
			}
			return ErrInjected
		})
		if err == nil {
			err = ErrInjected
		}
		return err
	}
	return e.Engine.Update(fn)
}

// Hold makes the next Updates wait until Release.
func (e *FaultyEngine) Hold() { g := make(chan struct{}); e.Gate.Store(&g) }

// Release lets held and later Updates through.
func (e *FaultyEngine) Release() {
	if g := e.Gate.Swap(nil); g != nil {
		close(*g)
	}
}
