package session

// Kind names a transport.
type Kind uint8

// The transports.
const (
	KindWebSocket Kind = iota
	KindSSE
	kindCount
)

func (k Kind) String() string {
	if k == KindSSE {
		return "sse"
	}
	return "ws"
}

// Transport is what a session needs from its connection. Adapters implement it;
// every method returns at once. The session calls them from its mailbox; the
// hub also calls Send, from its own mailbox, to hand routed frames straight to
// the writer (one hop instead of two): Send must be safe for those two callers
// at once (an Outbox is).
type Transport interface {
	Kind() Kind
	// Send hands f to the writer; false when the outbound queue is full (or the
	// writer has stopped and the transport refuses to queue more).
	Send(f *Frame) bool
	// Heartbeat asks the writer for a keepalive (a WebSocket ping, an SSE comment).
	Heartbeat()
	// Consumed gives back the credit of one inbound frame: a transport may
	// bound how many of its Received frames are still being handled (so that a
	// client sending faster than the hub routes is held back by TCP, not
	// buffered in mailboxes). It is called once per Received, by whoever is
	// done with the frame: the session, or the hub once it has routed it.
	Consumed()
	// Drain returns the frames Send accepted that the writer never took. The
	// session calls it once, after TransportDone, from the same mailbox as Send,
	// so a frame offered while the writer was stopping is not lost.
	Drain() []*Frame
	// Close asks the transport to end the connection with code (PROTOCOL.md).
	// Idempotent. The transport answers with one TransportDone when all its
	// goroutines are finished.
	Close(code int, text string)
}
