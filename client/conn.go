package client

import (
	"errors"
	"net"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
)

// controlWait bounds the pong and close-reply writes made from the reader;
// gorilla's own handlers use the same second.
const controlWait = time.Second

// drainReq asks the writer to flush the buffer, then send a close frame,
// all before the deadline.
type drainReq struct {
	by   time.Time
	text string
}

// serve runs one connection with a reader and a writer goroutine until it
// ends, and returns why: the reader's error (a *websocket.CloseError when
// the server closed), the writer's error, or ErrClose after Close. Both
// goroutines have exited when it returns.
func (c *Wsc) serve(conn *websocket.Conn, cfg settings) error {
	c.installHandlers(conn, cfg)

	stopWriter := make(chan struct{})
	drain := make(chan drainReq, 1)
	readDone := make(chan error, 1)
	writeDone := make(chan error, 1)
	go c.readLoop(conn, readDone)
	go c.writeLoop(conn, cfg.writeWait, stopWriter, drain, writeDone)

	var cause error
	readerOut, writerOut := false, false
	select {
	case cause = <-readDone:
		readerOut = true
	case cause = <-writeDone:
		writerOut = true
	case <-c.stopCtx.Done():
		cause = ErrClose
		readerOut, writerOut = c.closeHandshake(conn, drain, readDone, writeDone)
	}
	// Closing the socket unblocks whichever goroutine is still in a read or
	// a write; neither can then outlive the connection.
	close(stopWriter)
	_ = conn.Close()
	if !readerOut {
		<-readDone
	}
	if !writerOut {
		<-writeDone
	}
	return cause
}

// closeHandshake lets the writer flush and send the close frame, then waits
// for the server's answer (which ends the reader), all within closeTimeout.
// It reports which goroutines are already out.
func (c *Wsc) closeHandshake(conn *websocket.Conn, drain chan<- drainReq, readDone, writeDone <-chan error) (readerOut, writerOut bool) {
	c.mu.Lock()
	text := c.closeMsg
	c.mu.Unlock()
	deadline := time.Now().Add(closeTimeout)
	drain <- drainReq{by: deadline, text: text}
	t := time.NewTimer(closeTimeout)
	defer t.Stop()
	for !readerOut || !writerOut {
		select {
		case <-readDone:
			readerOut = true
		case err := <-writeDone:
			writerOut = true
			if err != nil {
				return readerOut, writerOut // no close frame went out: no answer to wait for
			}
		case <-t.C:
			return readerOut, writerOut // the peer is not cooperating: cut it
		}
	}
	return readerOut, writerOut
}

// installHandlers sets the read limit and the control-frame handlers, which
// gorilla runs inside ReadMessage, that is on the reader goroutine.
func (c *Wsc) installHandlers(conn *websocket.Conn, cfg settings) {
	conn.SetReadLimit(cfg.maxMessageSize)
	conn.SetPingHandler(func(data string) error {
		c.firePing(data)
		err := conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(controlWait))
		var ne net.Error
		if err == nil || errors.Is(err, websocket.ErrCloseSent) || (errors.As(err, &ne) && ne.Timeout()) {
			return nil // as gorilla's default: a missed pong is not fatal
		}
		return err
	})
	conn.SetPongHandler(func(data string) error {
		c.firePong(data)
		return nil
	})
	conn.SetCloseHandler(func(code int, text string) error {
		// When Close started the handshake this is the server's answer;
		// OnClose reports the client's own close instead.
		if c.stopCtx.Err() == nil {
			c.fireClose(code, text)
		}
		_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, ""), time.Now().Add(controlWait))
		return nil
	})
}

// readLoop reads frames until the connection fails or closes.
func (c *Wsc) readLoop(conn *websocket.Conn, done chan<- error) {
	c.own.mark(ownReader)
	for {
		kind, data, err := conn.ReadMessage()
		if err != nil {
			done <- err
			return
		}
		c.fireReceived(kind, data)
		if kind == websocket.TextMessage && c.hub != nil {
			c.hub.dispatch(data)
		}
	}
}

// writeLoop is the only goroutine that writes data frames to conn (gorilla
// allows one writer at a time; only WriteControl may run beside it). It
// writes buffered frames in order until stop, a write error, or a drain
// request, after which it flushes the buffer and sends the close frame.
func (c *Wsc) writeLoop(conn *websocket.Conn, writeWait time.Duration, stop <-chan struct{}, drain <-chan drainReq, done chan<- error) {
	c.own.mark(ownWriter)
	var closing *drainReq
	for {
		select {
		case <-stop:
			done <- nil
			return
		case d := <-drain:
			closing = &d
		default:
		}
		f, ok := c.pop()
		if !ok {
			if closing != nil {
				msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, truncate(closing.text, maxCloseText))
				done <- conn.WriteControl(websocket.CloseMessage, msg, closing.by)
				return
			}
			select {
			case <-c.wake:
			case <-stop:
				done <- nil
				return
			case d := <-drain:
				closing = &d
			}
			continue
		}
		deadline := time.Now().Add(writeWait)
		if closing != nil && closing.by.Before(deadline) {
			deadline = closing.by
		}
		_ = conn.SetWriteDeadline(deadline)
		if err := conn.WriteMessage(f.kind, f.data); err != nil {
			c.requeue(f)
			c.fireSentError(err)
			done <- err
			return
		}
		c.fireSent(f)
	}
}

// maxCloseText is what fits in a close frame: 125 bytes less the code.
const maxCloseText = 123

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
