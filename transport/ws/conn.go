package ws

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
)

// transport adapts one gorilla connection to session.Transport.
type transport struct {
	h      *Handler
	c      *websocket.Conn
	outbox *session.Outbox
	pid    *actor.PID
	root   *actor.RootContext

	ping       chan struct{} // a keepalive is wanted (capacity 1: pings coalesce)
	closeReq   chan struct{} // closed by Close
	readerDone chan struct{} // closed when the reader returns
	closeOnce  sync.Once
	closeCode  int
	closeText  string

	running atomic.Int32     // reader and writer still running
	unsent  []*session.Frame // set by the writer before it finishes
}

func newTransport(h *Handler, c *websocket.Conn, o *session.Outbox) *transport {
	t := &transport{h: h, c: c, outbox: o, ping: make(chan struct{}, 1),
		closeReq: make(chan struct{}), readerDone: make(chan struct{})}
	t.running.Store(2)
	return t
}

// Kind implements session.Transport.
func (t *transport) Kind() session.Kind { return session.KindWebSocket }

// Send implements session.Transport.
func (t *transport) Send(f *session.Frame) bool { return t.outbox.Offer(f) }

// Heartbeat implements session.Transport.
func (t *transport) Heartbeat() {
	select {
	case t.ping <- struct{}{}:
	default:
	}
}

// Close implements session.Transport. Code 0 ends the connection without a
// close frame (the peer is already gone). For a slow consumer the writer is
// probably stuck on a peer that does not read: an immediate write deadline cuts
// it loose (its close frame could not get through anyway).
func (t *transport) Close(code int, text string) {
	t.closeOnce.Do(func() {
		t.closeCode, t.closeText = code, text
		close(t.closeReq)
		if code == 0 || code == protocol.CloseSlowConsumer {
			_ = t.c.NetConn().SetWriteDeadline(time.Now())
		}
	})
}

// readLoop runs until the connection fails or closes; every frame and pong is a
// sign of life for the session.
func (t *transport) readLoop() {
	defer t.finish(func() { close(t.readerDone) })
	life := func(string) error { t.root.Send(t.pid, &session.Pong{}); return nil }
	t.c.SetPongHandler(life)
	t.c.SetPingHandler(func(data string) error {
		t.root.Send(t.pid, &session.Pong{})
		_ = t.c.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(t.h.opts.WriteWait))
		return nil
	})
	for {
		_, data, err := t.c.ReadMessage()
		if err != nil {
			// gorilla has already answered a peer's close, and sent 1009 for an
			// oversized frame; the writer only has to stop.
			t.Close(0, "")
			return
		}
		t.root.Send(t.pid, &session.Received{Data: data})
	}
}

// writeLoop owns every write. It ends on a write error or a close request,
// closes the TCP connection (which ends the reader) and keeps what it never wrote.
func (t *transport) writeLoop() {
	defer t.finish(func() { t.unsent = append(t.unsent, t.outbox.Drain()...) })
	defer t.c.Close()
	wait := t.h.opts.WriteWait
	for {
		select {
		case f := <-t.outbox.C():
			if err := t.write(f, wait); err != nil {
				t.unsent = append(t.unsent, f)
				return
			}
			t.outbox.Written(f)
		case <-t.ping:
			if t.c.WriteControl(websocket.PingMessage, nil, time.Now().Add(wait)) != nil {
				return
			}
		case <-t.closeReq:
			t.sendClose()
			return
		}
	}
}

func (t *transport) write(f *session.Frame, wait time.Duration) error {
	_ = t.c.SetWriteDeadline(time.Now().Add(wait))
	if !f.Shared {
		return t.c.WriteMessage(websocket.TextMessage, f.Data)
	}
	pm := f.Encoded(session.KindWebSocket, func(f *session.Frame) any {
		t.h.prepared.Add(1)
		pm, _ := websocket.NewPreparedMessage(websocket.TextMessage, f.Data) // cannot fail without compression
		return pm
	}).(*websocket.PreparedMessage)
	return t.c.WritePreparedMessage(pm)
}

// sendClose writes the close frame and gives the peer CloseGrace to answer, so
// that the frame is read before the TCP connection goes.
func (t *transport) sendClose() {
	if t.closeCode == 0 {
		return
	}
	msg := websocket.FormatCloseMessage(t.closeCode, t.closeText)
	if t.c.WriteControl(websocket.CloseMessage, msg, time.Now().Add(t.h.opts.CloseGrace)) != nil {
		return
	}
	timer := time.NewTimer(t.h.opts.CloseGrace)
	defer timer.Stop()
	select {
	case <-t.readerDone:
	case <-timer.C:
	}
}

// finish runs last(), and when it is the last of the two goroutines, tells the
// session that the transport is done.
func (t *transport) finish(last func()) {
	last()
	if t.running.Add(-1) == 0 {
		t.root.Send(t.pid, &session.TransportDone{Unsent: t.unsent})
	}
}
