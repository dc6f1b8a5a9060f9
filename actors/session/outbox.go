package session

import "sync/atomic"

// Outbox is the bounded hand-off to a transport's writer goroutine, bounded
// in frames and in bytes. The hub (routed frames) and the session (its own
// control frames) Offer, never blocking; the writer reads C and calls Written
// after each frame; on exit it Drains what was never written. The byte count
// is an atomic counter, not shared state: it only decides when to refuse.
type Outbox struct {
	ch       chan *Frame
	bytes    atomic.Int64
	maxBytes int64
}

// NewOutbox makes an outbox for at most maxFrames frames and maxBytes bytes
// (a frame larger than maxBytes still passes when the outbox is empty).
func NewOutbox(maxFrames int, maxBytes int64) *Outbox {
	return &Outbox{ch: make(chan *Frame, maxFrames), maxBytes: maxBytes}
}

// Offer queues f, or returns false when either bound would be crossed.
func (o *Outbox) Offer(f *Frame) bool {
	n := f.Size()
	if o.bytes.Load()+n > o.maxBytes && len(o.ch) > 0 {
		return false
	}
	select {
	case o.ch <- f:
		o.bytes.Add(n)
		return true
	default:
		return false
	}
}

// C is the writer's side.
func (o *Outbox) C() <-chan *Frame { return o.ch }

// Written releases f's bytes once it is on the wire.
func (o *Outbox) Written(f *Frame) { o.bytes.Add(-f.Size()) }

// Len is the number of queued frames.
func (o *Outbox) Len() int { return len(o.ch) }

// Drain empties the outbox without blocking and returns what was in it, in order.
func (o *Outbox) Drain() []*Frame {
	var out []*Frame
	for {
		select {
		case f := <-o.ch:
			o.Written(f)
			out = append(out, f)
		default:
			return out
		}
	}
}
