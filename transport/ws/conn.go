package ws

import (
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
)

// maxBatch bounds one write: the writer takes what is already queued, up to
// this many bytes (or maxBatchFrames frames), and writes it with one syscall.
const (
	maxBatch       = 64 << 10
	maxBatchFrames = 64
)

// inboundCredits bounds a connection's inbound frames read but not yet handled
// by its session and the hub, or answered but the answer not yet written
// (session.Frame.Credit); and so does a quarter of its outbox, so that answers
// never take more than that of it.
const inboundCredits = 64

// transport adapts one connection to session.Transport: gorilla reads, the
// writer goroutine writes every byte (frames, pings, pongs, the close frame),
// so nothing else ever writes to the socket.
type transport struct {
	h      *Server
	c      *websocket.Conn
	nc     net.Conn
	outbox *session.Outbox
	// writer is writerIdle, writerRunning or writerStopped; beside outbox,
	// as the hub's Send reads both for every connection of a broadcast
	writer atomic.Int32
	pid    *actor.PID
	root   *actor.RootContext
	in     *session.Ingress // the reader's half of the session
	limit  int64            // largest inbound message

	credits    chan struct{} // one per inbound frame not yet handled (see Consumed)
	writerDone chan struct{} // closed when the writer returns
	ping       chan struct{} // a keepalive is wanted (capacity 1: pings coalesce)
	pong       chan []byte   // a pong to send (capacity 1: only the latest matters)
	closeReq   chan struct{} // closed by Close
	readerDone chan struct{} // closed when the reader returns
	closeOnce  sync.Once
	closeCode  int
	closeText  string

	arrays  bool         // the client asked for batches (?batch=1): several frames go as one JSON array
	running atomic.Int32 // reader and writer not yet finished for good
	buf     []byte       // the writer goroutine's batch buffer (pool workers have their own)

	shard *shard     // the writer shard a kick queues the connection on (pool.go)
	next  *transport // the next connection queued on the shard
	// raw is the connection's syscall.RawConn, for the pool's non-blocking
	// writes; nil (rawChecked) for one that has none: it writes from a
	// goroutine of its own, as a connection whose socket is full does
	raw        syscall.RawConn
	rawChecked bool
	// pending is what a pool worker could not write without blocking, of the
	// frames in pendingBatch: writeLoop writes it first
	pending      []byte
	pendingBatch []*session.Frame
	// deadline is the write deadline the writer set last (see armDeadline);
	// only the writer reads and sets it, one writer at a time (the writer
	// state's atomics order one writer goroutine after the next).
	deadline time.Time
}

func newTransport(h *Server, c *websocket.Conn, o *session.Outbox, limit int64) *transport {
	nc := c.NetConn()
	if sc, ok := nc.(*sealedConn); ok {
		nc = sc.Conn // the writer's own writes go through
	}
	t := &transport{h: h, c: c, nc: nc, outbox: o, limit: limit, ping: make(chan struct{}, 1),
		credits: make(chan struct{}, min(inboundCredits, max(1, o.Cap()/4))), writerDone: make(chan struct{}),
		pong: make(chan []byte, 1), closeReq: make(chan struct{}), readerDone: make(chan struct{}),
		shard: h.writers.pick()}
	t.running.Store(2)
	return t
}

// Kind implements session.Transport.
func (t *transport) Kind() session.Kind { return session.KindWebSocket }

// Send implements session.Transport.
func (t *transport) Send(f *session.Frame) bool {
	if !t.outbox.Offer(f) {
		return false
	}
	t.kick()
	return true
}

// Consumed implements session.Transport: one inbound frame is handled, the
// reader may read another.
func (t *transport) Consumed() {
	select {
	case <-t.credits:
	default:
	}
}

// Drain implements session.Transport.
func (t *transport) Drain() []*session.Frame { return t.outbox.Drain() }

// WhenRoom implements session.Transport.
func (t *transport) WhenRoom(fn func()) { t.outbox.WhenRoom(fn) }

// Queued implements session.Transport.
func (t *transport) Queued() int { return t.outbox.Len() }

// Heartbeat implements session.Transport.
func (t *transport) Heartbeat() {
	select {
	case t.ping <- struct{}{}:
	default:
	}
	t.kick()
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
			_ = t.nc.SetWriteDeadline(time.Now())
		}
	})
	t.kick()
}

// readLoop runs until the connection fails or closes; every frame, ping and
// pong is a sign of life for the session. Replies (pong, the echo of a peer's
// close, 1009) go through the writer: this goroutine never writes.
func (t *transport) readLoop() {
	defer t.finish(func() { close(t.readerDone) })
	life := func() { t.root.Send(t.pid, &session.Pong{}) }
	t.c.SetPongHandler(func(string) error { life(); return nil })
	t.c.SetPingHandler(func(data string) error {
		life()
		select {
		case <-t.pong: // an unsent older pong is superseded
		default:
		}
		t.pong <- []byte(data)
		t.kick()
		return nil
	})
	t.c.SetCloseHandler(func(code int, _ string) error {
		if code == websocket.CloseNoStatusReceived {
			code = protocol.CloseNormal
		}
		t.Close(code, "") // echo the peer's close
		return nil
	})
	// the frame's bytes, reused: the Ingress keeps nothing of them (Decode
	// copies what it keeps), so a frame costs no buffer of its own
	var scratch []byte
	for {
		_, r, err := t.c.NextReader()
		if err != nil {
			if gorillaTried(t.c) { // the 1002 gorilla would have written (sealed.go)
				t.Close(websocket.CloseProtocolError, strings.TrimPrefix(err.Error(), "websocket: "))
				return
			}
			t.Close(0, "") // a peer's close was echoed above; otherwise the peer is gone
			return
		}
		data, err := readFrame(r, scratch[:0], t.limit+1)
		scratch = keepSmall(data) // a big frame once: an idle connection keeps no big buffer
		if err != nil {
			t.Close(0, "")
			return
		}
		if int64(len(data)) > t.limit {
			// read (a bounded part of) the rest, so that the socket is empty when
			// it closes and the 1009 is not lost to a reset
			_, _ = io.Copy(io.Discard, io.LimitReader(r, 1<<20))
			t.Close(protocol.CloseMessageTooBig, protocol.CloseText(protocol.CloseMessageTooBig))
			return
		}
		if !utf8.Valid(data) {
			// RFC 6455: a text frame that is not UTF-8 fails the connection
			// (1007) rather than being relayed with U+FFFD; a binary frame
			// carries the same JSON (PROTOCOL.md) and is held to the same rule
			t.Close(protocol.CloseInvalidData, protocol.CloseText(protocol.CloseInvalidData))
			return
		}
		// hold one credit per frame in the actors: past inboundCredits the reader
		// stops reading and TCP pushes back on the client
		select {
		case t.credits <- struct{}{}:
		case <-t.closeReq:
			return
		case <-t.writerDone:
			return
		}
		select {
		case <-t.closeReq: // closing: the frame goes nowhere, the reader waits for the peer's close
			t.Consumed()
			continue
		default:
		}
		t.in.Handle(data)
	}
}

// readFrame appends what r holds, up to max bytes, to b.
func readFrame(r io.Reader, b []byte, max int64) ([]byte, error) {
	if cap(b) == 0 {
		b = make([]byte, 0, 512)
	}
	for int64(len(b)) < max {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // room to read into (append grows it)
		}
		room := b[len(b):int(min(int64(cap(b)), max))]
		n, err := r.Read(room)
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
	return b, nil
}

// writeLoop is the writer of a connection that a pool worker could not
// serve without blocking (pool.go), or that is closing: it owns every write
// until it ends. It ends on a write error or a close request, closes the TCP
// connection (which ends the reader) and keeps what it never wrote; or it
// returns (idle) when the outbox, the ping and pong slots and the close
// request are all empty, so that the next kick queues the connection on its
// shard again.
func (t *transport) writeLoop() {
	if t.pending != nil { // what a worker began: the rest of it first
		rest, batch := t.pending, t.pendingBatch
		t.pending, t.pendingBatch = nil, nil
		if t.write(rest) != nil {
			t.outbox.Return(batch)
			t.stopWriting()
			return
		}
		t.written(batch)
	}
	for {
		select {
		case f := <-t.outbox.C():
			if !t.writeBatch(f) {
				t.stopWriting()
				return
			}
		case <-t.ping:
			if t.writeControl(opPing, nil) != nil {
				t.stopWriting()
				return
			}
		case p := <-t.pong:
			if t.writeControl(opPong, p) != nil {
				t.stopWriting()
				return
			}
		case <-t.closeReq:
			t.sendClose(time.After)
			t.stopWriting()
			return
		default:
			// nothing to write: go idle, unless something came in meanwhile and
			// no kick has started another writer for it. An idle connection
			// keeps no big batch buffer either.
			t.buf = keepSmall(t.buf)
			t.writer.Store(writerIdle)
			if !t.hasWork() || !t.writer.CompareAndSwap(writerIdle, writerRunning) {
				return
			}
		}
	}
}

// Writer states.
const (
	writerIdle int32 = iota
	writerRunning
	writerStopped
)

// kick makes sure a writer runs; every producer calls it after queuing. The
// kick that finds the writer idle queues the connection on its shard.
func (t *transport) kick() {
	if t.writer.CompareAndSwap(writerIdle, writerRunning) {
		t.shard.push(t)
	}
}

func (t *transport) hasWork() bool {
	select {
	case <-t.closeReq:
		return true
	default:
	}
	return t.outbox.Len() > 0 || len(t.ping) > 0 || len(t.pong) > 0
}

// stopWriting ends the writer for good: no kick starts another; the TCP
// connection closes (which ends the reader). What was never written stays in
// the outbox, for the hub to drain once the session says Gone.
func (t *transport) stopWriting() {
	t.writer.Store(writerStopped)
	close(t.writerDone)
	_ = t.c.Close()
	t.finish(func() {})
}

// writeBatch writes first and whatever else is already queued, in one write:
// one WebSocket frame each, or, for a connection that asked for arrays
// (?batch=1), one frame holding them all as a JSON array.
func (t *transport) writeBatch(first *session.Frame) bool {
	batch, size := t.take([]*session.Frame{first})
	var out []byte
	out, t.buf = t.encode(t.buf, batch, size)
	if err := t.write(out); err != nil {
		// part of it may have reached the peer; the hub cannot tell which, so
		// the whole batch goes back (an ack'd message is recognised by its id)
		t.outbox.Return(batch)
		return false
	}
	t.written(batch)
	return true
}

// take adds to batch (one frame) what else is already queued, up to
// maxBatchFrames frames or maxBatch bytes; size is their bytes.
func (t *transport) take(batch []*session.Frame) (_ []*session.Frame, size int) {
	size = len(batch[0].Data)
	c := t.outbox.C()
	for len(batch) < maxBatchFrames && size < maxBatch {
		select {
		case f := <-c:
			batch = append(batch, f)
			size += len(f.Data)
			continue
		default:
		}
		break
	}
	return batch, size
}

// encode is the bytes that put batch on the wire, built in buf (returned
// grown, to be kept). A frame shared by many connections, alone in its batch,
// is written from its shared framing, not copied.
func (t *transport) encode(buf []byte, batch []*session.Frame, size int) (out, kept []byte) {
	if len(batch) == 1 && batch[0].Shared {
		return t.wire(batch[0]), buf
	}
	buf = buf[:0]
	if t.arrays && len(batch) > 1 {
		buf = appendArray(buf, batch, size)
	} else {
		for _, f := range batch {
			buf = t.append(buf, f)
		}
	}
	return buf, buf
}

// written releases a batch on the wire.
func (t *transport) written(batch []*session.Frame) {
	for _, f := range batch {
		t.outbox.Written(f)
		if f.Credit { // an answer is out: the reader may read the next frame
			t.Consumed()
		}
	}
}

// append adds f's WebSocket frame. A frame shared by many connections is framed
// once and its bytes reused.
func (t *transport) append(b []byte, f *session.Frame) []byte {
	if !f.Shared {
		return appendFrame(b, opText, f.Data)
	}
	return append(b, t.wire(f)...)
}

// wire is the WebSocket frame of a shared f, framed by the first writer that
// needs it.
func (t *transport) wire(f *session.Frame) []byte {
	return f.Encoded(session.KindWebSocket, func(f *session.Frame) any {
		t.h.prepared.Add(1)
		return frameText(f.Data)
	}).([]byte)
}

func (t *transport) writeControl(op byte, payload []byte) error {
	var scratch [2 + 125]byte
	return t.write(appendFrame(scratch[:0], op, payload))
}

func (t *transport) write(b []byte) error {
	if t.cut() {
		return errCut
	}
	if err := t.armDeadline(time.Now()); err != nil {
		return err
	}
	_, err := t.nc.Write(b)
	return err
}

// armDeadline makes sure a write starting at now has at least WriteWait
// before its deadline. Setting a deadline is a timer operation in the
// runtime, so it is re-armed only when less than WriteWait is left, and then
// to now + 1.5×WriteWait: a busy connection re-arms it once per half
// WriteWait rather than once per write (a broadcast to 10,000 connections
// spent 9% of the server's CPU re-arming), and a write that blocks still
// fails after WriteWait to 1.5×WriteWait.
func (t *transport) armDeadline(now time.Time) error {
	wait := t.h.opts.WriteWait
	if t.deadline.Sub(now) >= wait {
		return nil
	}
	d := now.Add(wait + wait/2)
	if err := t.nc.SetWriteDeadline(d); err != nil {
		return err
	}
	t.deadline = d
	return nil
}

// errCut is the error of a write after a cut (see cut).
var errCut = errors.New("ws: connection cut loose")

// cut reports whether the connection was closed for a peer that is gone (code
// 0) or does not read (slow consumer): the writer then starts no new write.
// Close's immediate deadline fails only the write in progress; a write
// started after it may set its own deadline and would wait WriteWait on a peer
// that does not read, holding the connection and its frames that long.
func (t *transport) cut() bool {
	select {
	case <-t.closeReq: // closeCode is set before closeReq is closed
		return t.closeCode == 0 || t.closeCode == protocol.CloseSlowConsumer
	default:
		return false
	}
}

// sendClose writes the close frame and gives the peer CloseGrace to answer, so
// that the frame is read before the TCP connection goes. after is time.After
// (a test gives its own clock; a timer no one references is collected, fired
// or not).
func (t *transport) sendClose(after func(time.Duration) <-chan time.Time) {
	if t.closeCode == 0 {
		return
	}
	grace := t.h.opts.CloseGrace
	t.deadline = time.Time{} // the writer's last write: its deadline is the grace
	_ = t.nc.SetWriteDeadline(time.Now().Add(grace))
	var scratch [2 + 125]byte
	if _, err := t.nc.Write(appendFrame(scratch[:0], opClose, closePayload(t.closeCode, t.closeText))); err != nil {
		return
	}
	select {
	case <-t.readerDone:
	case <-after(grace):
	}
}

// finish runs last(), and when it is the last of the two goroutines, tells the
// session that the transport is done.
func (t *transport) finish(last func()) {
	last()
	if t.running.Add(-1) == 0 {
		t.root.Send(t.pid, &session.TransportDone{})
	}
}
