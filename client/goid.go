package client

import (
	"runtime"
	"sync/atomic"
)

// Close waits for the client's goroutines to end, except when it is called
// from one of them (a callback calling Close): that goroutine cannot wait
// for itself. Counting the callbacks in flight could not tell the two apart:
// an application goroutine woken by a callback (the callback sent on a
// channel and had not returned yet) took Close for a call from inside it and
// returned before OnClose and OnDisconnected had run. So each of the
// client's goroutines notes its id when it starts, and Close compares its
// own. Go keeps goroutine ids private; runtime.Stack's header carries it,
// and this reads it only at a goroutine's start and in Close.

// The client's own goroutines, by role.
const (
	ownLoop = iota
	ownReader
	ownWriter
	ownRoles
)

// ownGoroutines holds the id of the goroutine in each role (zero: none yet).
type ownGoroutines [ownRoles]atomic.Uint64

// mark notes that the calling goroutine now plays role.
func (o *ownGoroutines) mark(role int) { o[role].Store(goroutineID()) }

// isCaller reports whether the calling goroutine is one of them.
func (o *ownGoroutines) isCaller() bool {
	id := goroutineID()
	for i := range o {
		if o[i].Load() == id {
			return true
		}
	}
	return false
}

// goroutineID parses "goroutine 42 [running]:" at the head of the calling
// goroutine's stack.
func goroutineID() uint64 {
	var buf [32]byte
	b := buf[:runtime.Stack(buf[:], false)]
	const prefix = len("goroutine ")
	var id uint64
	for i := prefix; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		id = id*10 + uint64(b[i]-'0')
	}
	return id
}
