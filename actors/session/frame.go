package session

import (
	"sync"
	"sync/atomic"

	"github.com/go-wsc/go-wsc/protocol"
)

// Frame is one encoded message on its way to one or more connections. The hub
// encodes a message once and shares the Frame between every connection it goes
// to; nothing in a Frame changes after the hub sends it.
type Frame struct {
	Msg  *protocol.Message // stamped by the hub; read-only
	Data []byte            // the JSON frame; read-only
	// Shared marks frames that go to more than one connection, worth a cached
	// transport encoding (a WebSocket PreparedMessage).
	Shared bool
	// Stored marks a frame the hub took from the offline store for one
	// connection alone: if it is never written it goes back to the store,
	// whatever other connections the user has.
	Stored bool
	// Credit marks an answer to an inbound frame (an error, a pong) that
	// carries that frame's credit: the transport gives it back
	// (Transport.Consumed) once the answer is written, so a client that sends
	// faster than it reads its answers is held back by its own reader, not
	// closed as a slow consumer.
	Credit bool
	// Origin names the node a forwarded frame came from: the message's record
	// is there, so if the frame is never written, this node's hub tells that
	// node it kept the message instead.
	Origin string

	// encoded holds the transports' encodings, made by the first Encoded:
	// only shared frames ask for it, so a frame to one connection (every p2p
	// message) does not carry it (64 bytes less a message).
	encoded atomic.Pointer[[kindCount]encoding]
}

// encoding is one transport's encoding of a frame, built once.
type encoding struct {
	once sync.Once
	v    any
}

// Encoded returns the transport-specific encoding of f for k, built with
// build by the first caller; a caller that comes while it is being built
// waits for it. (Letting each build and keeping the first to finish framed a
// broadcast twice now and then, when two writers met an unframed frame at
// once: the framing is the cost a shared frame exists to pay once.)
func (f *Frame) Encoded(k Kind, build func(*Frame) any) any {
	all := f.encoded.Load()
	if all == nil {
		all = new([kindCount]encoding)
		if !f.encoded.CompareAndSwap(nil, all) { // another writer made it first
			all = f.encoded.Load()
		}
	}
	e := &all[k]
	e.once.Do(func() { e.v = build(f) })
	return e.v
}

// Size is what the frame counts against a queue's byte bound.
func (f *Frame) Size() int64 { return int64(len(f.Data)) }
