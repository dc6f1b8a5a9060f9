package session

import "sync/atomic"

// Outbox is the bounded hand-off to a transport's writer goroutine, bounded
// in frames and in bytes. The hub (routed frames) and the session (its own
// control frames) Offer, never blocking; the writer reads C and calls Written
// after each frame; on exit it Drains what was never written. The byte count
// is an atomic counter, not shared state: it only decides when to refuse.
//
// With NewLazyOutbox the channel is made on the first Offer, so a connection
// that never gets a frame (most idle ones) holds no queue; that suits a
// writer that runs only when woken after an Offer. A writer that waits on C
// needs the channel from the start: NewOutbox.
type Outbox struct {
	ch       atomic.Pointer[chan *Frame]
	size     int
	bytes    atomic.Int64
	maxBytes int64
}

// NewOutbox makes an outbox for at most maxFrames frames and maxBytes bytes
// (a frame larger than maxBytes still passes when the outbox is empty).
func NewOutbox(maxFrames int, maxBytes int64) *Outbox {
	o := NewLazyOutbox(maxFrames, maxBytes)
	o.channel()
	return o
}

// NewLazyOutbox is NewOutbox whose channel is made by the first Offer; until
// then C is nil.
func NewLazyOutbox(maxFrames int, maxBytes int64) *Outbox {
	return &Outbox{size: maxFrames, maxBytes: maxBytes}
}

// channel returns the queue, making it the first time; concurrent first
// Offers agree on one.
func (o *Outbox) channel() chan *Frame {
	if p := o.ch.Load(); p != nil {
		return *p
	}
	c := make(chan *Frame, o.size)
	if o.ch.CompareAndSwap(nil, &c) {
		return c
	}
	return *o.ch.Load()
}

// Offer queues f, or returns false when either bound would be crossed.
func (o *Outbox) Offer(f *Frame) bool {
	ch := o.channel()
	n := f.Size()
	if o.bytes.Load()+n > o.maxBytes && len(ch) > 0 {
		return false
	}
	select {
	case ch <- f:
		o.bytes.Add(n)
		return true
	default:
		return false
	}
}

// C is the writer's side (nil, which never delivers, until the first Offer).
func (o *Outbox) C() <-chan *Frame {
	if p := o.ch.Load(); p != nil {
		return *p
	}
	return nil
}

// Written releases f's bytes once it is on the wire.
func (o *Outbox) Written(f *Frame) { o.bytes.Add(-f.Size()) }

// Len is the number of queued frames.
func (o *Outbox) Len() int { return len(o.C()) }

// Drain empties the outbox without blocking and returns what was in it, in order.
func (o *Outbox) Drain() []*Frame {
	ch := o.C()
	var out []*Frame
	for {
		select {
		case f := <-ch:
			o.Written(f)
			out = append(out, f)
		default:
			return out
		}
	}
}
