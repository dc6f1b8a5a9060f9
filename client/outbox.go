package client

import "github.com/gorilla/websocket"

// frame is one data message waiting to be written.
type frame struct {
	kind int // websocket.TextMessage or websocket.BinaryMessage
	data []byte
}

func (f frame) isText() bool { return f.kind == websocket.TextMessage }

// outbox is the FIFO of frames waiting for the writer. It outlives
// connections: frames queued while disconnected, or put back after a failed
// write, go out first on the next connection, in order. The bound
// (MessageBufferSize) is checked by the caller, which holds Wsc.mu around
// every call.
type outbox struct {
	q []frame
}

func (o *outbox) len() int { return len(o.q) }

func (o *outbox) push(f frame) { o.q = append(o.q, f) }

// pop removes the oldest frame.
func (o *outbox) pop() (frame, bool) {
	if len(o.q) == 0 {
		return frame{}, false
	}
	f := o.q[0]
	o.q[0] = frame{} // let the payload be collected
	o.q = o.q[1:]
	if len(o.q) == 0 {
		o.q = nil // reuse from the start instead of creeping through the array
	}
	return f, true
}

// pushFront puts back a frame whose write failed, so it stays first in line.
func (o *outbox) pushFront(f frame) {
	o.q = append([]frame{f}, o.q...)
}

// clear drops every frame (the client is closed).
func (o *outbox) clear() { o.q = nil }
