package ws

import (
	"runtime"
	"sync/atomic"

	"github.com/go-wsc/go-wsc/actors/session"
)

// A broadcast to 10,000 connections used to start 10,000 writer goroutines,
// each writing one frame and exiting: starting and ending them cost as much
// of the server's CPU as the hub's whole fan-out. Now a kick queues the
// connection on one of a few writer shards (one per P), whose worker writes
// each queued connection's frames with one non-blocking write. Only a
// connection whose socket is full (its peer reads slowly) gets a goroutine
// of its own (writeLoop), which may block, with its write deadline. A worker
// runs while its shard has connections queued and returns when it has none,
// so an idle server holds no writer goroutine at all.
//
// A worker never waits on a socket: nothing else writes to a connection while
// it does (gorilla, which would write a 1002 on a protocol error and hold the
// socket's write lock up to 1 s, writes nothing after the handshake:
// sealed.go).
//
// Ownership is the writer state's, as before: a kick that moves a connection
// from writerIdle to writerRunning owns its writing, and hands that to the
// shard; the worker serving it is its one writer until it lets it go idle,
// queues it again or hands it to a goroutine of its own.

// maxShards bounds the writer shards of a Server (a shard per P up to it).
const maxShards = 8

// writerPool is a Server's writer shards; its zero value is ready.
type writerPool struct {
	shards [maxShards]shard
	next   atomic.Uint32
}

// pick is the shard of a new connection: round robin over GOMAXPROCS shards.
func (p *writerPool) pick() *shard {
	n := uint32(min(runtime.GOMAXPROCS(0), maxShards))
	return &p.shards[p.next.Add(1)%n]
}

// shard is a stack of connections waiting for a write and the worker that
// writes them. Only the running worker touches buf and batch.
type shard struct {
	head    atomic.Pointer[transport] // newest first, linked by transport.next
	running atomic.Bool               // a worker is on it
	buf     []byte                    // the worker's write buffer
	batch   []*session.Frame          // the worker's batch, reused
	write   rawWrite                  // the worker's non-blocking write
	_       [64]byte                  // shards on separate cache lines
}

// push queues t, whose writer state the caller owns (writerRunning), and
// starts the shard's worker unless one runs.
func (s *shard) push(t *transport) {
	for {
		old := s.head.Load()
		t.next = old
		if s.head.CompareAndSwap(old, t) {
			break
		}
	}
	if !s.running.Load() && s.running.CompareAndSwap(false, true) {
		go s.work()
	}
}

// work serves the queued connections, oldest first, until none is left.
// Before it returns it says so (running false) and looks again: a push that
// saw it still running has queued a connection it must not leave behind.
func (s *shard) work() {
	for {
		list := s.head.Swap(nil)
		if list == nil {
			s.buf = keepSmall(s.buf)
			s.batch = s.batch[:0]
			s.running.Store(false)
			if s.head.Load() == nil || !s.running.CompareAndSwap(false, true) {
				return
			}
			continue
		}
		var oldest *transport
		for list != nil {
			next := list.next
			list.next = oldest
			oldest, list = list, next
		}
		for t := oldest; t != nil; {
			next := t.next // serve may queue t again
			t.next = nil
			t.serve(s)
			t = next
		}
	}
}
