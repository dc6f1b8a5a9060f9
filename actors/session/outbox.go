package session

import "sync/atomic"

// Outbox is the bounded hand-off to a transport's writer goroutine, bounded
// in frames and in bytes. The hub Offers routed frames (and the session its own
// control frames), never blocking; the writer reads C and calls Written after
// each frame it wrote. A writer that took a batch and failed to write it puts
// the batch back with Return before it finishes. The hub Drains the outbox
// once, after the connection is gone: what it gets back, oldest first, is
// every frame it queued that never reached the wire (as far as the writer
// knows). The byte count is an atomic counter, not shared state: it only
// decides when to refuse.
//
// With NewLazyOutbox the channel is made on the first Offer, so a connection
// that never gets a frame (most idle ones) holds no queue; that suits a
// writer that runs only when woken after an Offer. A writer that waits on C
// needs the channel from the start: NewOutbox.
//
// Flow control: the hub, refused by a full outbox while it has a backlog for
// the connection, arms WhenRoom; the writer's Written calls the function once
// the outbox is at most half full again, so the backlog follows as the writer
// drains instead of overflowing the queue.
type Outbox struct {
	// ch holds the chan *Frame once made: an atomic.Value keeps the channel
	// itself, where an atomic.Pointer would point at a separate heap word
	// that every Offer of a broadcast's fan-out would load from a cold line
	ch       atomic.Value
	size     int
	bytes    atomic.Int64
	maxBytes int64
	returned atomic.Pointer[[]*Frame] // a batch the writer took but could not write
	room     atomic.Pointer[func()]   // armed by WhenRoom, called once by Written
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
	if c, ok := o.ch.Load().(chan *Frame); ok {
		return c
	}
	c := make(chan *Frame, o.size)
	if o.ch.CompareAndSwap(nil, c) {
		return c
	}
	return o.ch.Load().(chan *Frame)
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
	c, _ := o.ch.Load().(chan *Frame)
	return c
}

// Written releases f's bytes once it is on the wire, and calls the function
// armed by WhenRoom once the outbox is half empty.
func (o *Outbox) Written(f *Frame) {
	o.bytes.Add(-f.Size())
	if p := o.room.Load(); p != nil && o.hasRoom() && o.room.CompareAndSwap(p, nil) {
		(*p)()
	}
}

// Return puts back a batch the writer took from C but could not write, so
// that Drain hands it back first. Only the writer calls it, once, as it stops.
func (o *Outbox) Return(batch []*Frame) {
	if len(batch) == 0 {
		return
	}
	kept := append([]*Frame(nil), batch...)
	if old := o.returned.Swap(&kept); old != nil {
		kept = append(*old, kept...)
		o.returned.Store(&kept)
	}
}

// WhenRoom arms fn to be called once when the outbox is at most half full
// (in frames and in bytes): by the writer's Written, or at once when it is
// already. A later WhenRoom replaces an armed function.
func (o *Outbox) WhenRoom(fn func()) {
	p := &fn
	o.room.Store(p)
	if o.hasRoom() && o.room.CompareAndSwap(p, nil) {
		fn()
	}
}

func (o *Outbox) hasRoom() bool {
	return o.Len() <= o.size/2 && o.bytes.Load() <= o.maxBytes/2
}

// Cap is how many frames the outbox holds at most.
func (o *Outbox) Cap() int { return o.size }

// Len is the number of queued frames.
func (o *Outbox) Len() int { return len(o.C()) }

// Drain empties the outbox without blocking and returns what was in it,
// oldest first: a returned batch, then the queue.
func (o *Outbox) Drain() []*Frame {
	var out []*Frame
	if p := o.returned.Swap(nil); p != nil {
		out = append(out, *p...)
	}
	ch := o.C()
	for {
		select {
		case f := <-ch:
			out = append(out, f)
		default:
			for _, f := range out {
				o.bytes.Add(-f.Size())
			}
			return out
		}
	}
}
