package ws

import (
	"bytes"
	"syscall"

	"github.com/go-wsc/go-wsc/actors/session"
)

// serve is a pool worker's turn at t (pool.go): a pong, a ping or a batch of
// frames, with one non-blocking write; then t goes idle, or back on the shard
// when more is queued. A connection that is closing (its close frame waits
// for the peer), one that has no raw connection, and one whose socket is
// full go on in a goroutine of their own (writeLoop).
func (t *transport) serve(s *shard) {
	rc := t.rawConn()
	if rc == nil || t.closing() {
		go t.writeLoop()
		return
	}
	ok := true // nothing queued after all: t goes idle
	if p, got := now(t.pong); got {
		s.buf = appendFrame(s.buf[:0], opPong, p)
		ok = t.try(s, rc, s.buf, nil)
	} else if _, got := now(t.ping); got {
		s.buf = appendFrame(s.buf[:0], opPing, nil)
		ok = t.try(s, rc, s.buf, nil)
	} else if f, got := now(t.outbox.C()); got {
		batch, size := t.take(append(s.batch[:0], f))
		var out []byte
		out, s.buf = t.encode(s.buf, batch, size)
		ok = t.try(s, rc, out, batch)
		clear(batch) // the worker keeps no frame
		s.batch = batch[:0]
	}
	if !ok {
		return
	}
	t.writer.Store(writerIdle)
	if t.hasWork() && t.writer.CompareAndSwap(writerIdle, writerRunning) {
		s.push(t)
	}
}

// try writes out, the bytes of batch (nil for a control frame), with one
// write that does not wait. It returns whether t is still the worker's: false
// when t has gone on to a goroutine of its own with what is left of out.
func (t *transport) try(s *shard, rc syscall.RawConn, out []byte, batch []*session.Frame) bool {
	n, err := s.write.try(rc, out)
	if err == nil && n == len(out) {
		t.written(batch)
		return true
	}
	// the socket is full (the peer reads slowly), the write failed, or a
	// write deadline writeLoop set earlier has passed: writeLoop writes the
	// rest, with a deadline of its own, or fails and puts the batch back
	t.pending = bytes.Clone(out[n:])
	t.pendingBatch = append([]*session.Frame(nil), batch...)
	go t.writeLoop()
	return false
}

// closing reports whether Close was called.
func (t *transport) closing() bool {
	select {
	case <-t.closeReq:
		return true
	default:
		return false
	}
}

// now receives from c if that does not wait.
func now[T any](c <-chan T) (T, bool) {
	select {
	case v := <-c:
		return v, true
	default:
		var zero T
		return zero, false
	}
}
