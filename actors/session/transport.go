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

// Transport is what a session and the hub need from a connection. Adapters
// implement it; every method returns at once. The hub calls Send (routed
// frames, from its mailbox), WhenRoom and, once the connection is gone, Drain;
// the session calls Send (its control frames), Heartbeat, Consumed and Close.
// Send must be safe for those two callers at once (an Outbox is).
type Transport interface {
	Kind() Kind
	// Send hands f to the writer; false when the outbound queue is full.
	Send(f *Frame) bool
	// WhenRoom calls fn once when the outbound queue is at most half full
	// again (see Outbox.WhenRoom): the hub's flow control for a backlog.
	WhenRoom(fn func())
	// Queued is how many frames wait in the outbound queue (the hub refuses
	// a client's message to a receiver whose queue is past its high-water mark).
	Queued() int
	// Heartbeat asks the writer for a keepalive (a WebSocket ping, an SSE comment).
	Heartbeat()
	// Consumed gives back the credit of one inbound frame: a transport may
	// bound how many of its Received frames are still being handled (so that a
	// client sending faster than the hub routes is held back by TCP, not
	// buffered in mailboxes). It is called once per Received, by whoever is
	// done with the frame: the session, or the hub once it has routed it.
	Consumed()
	// Drain returns, oldest first, the frames Send accepted that never reached
	// the wire. The hub calls it once, when the session says Gone (after
	// TransportDone: the writer has finished and put back a batch it failed
	// to write), and it is the only place those frames come back from.
	Drain() []*Frame
	// Close asks the transport to end the connection with code (PROTOCOL.md).
	// Idempotent. The transport answers with one TransportDone when all its
	// goroutines are finished.
	Close(code int, text string)
}
