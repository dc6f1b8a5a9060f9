package client

import (
	"sync"

	"github.com/gorilla/websocket"
)

// callbacks holds the application's handlers. They may be set at any time,
// from any goroutine; each event uses the handler current at that moment.
type callbacks struct {
	mu             sync.RWMutex
	connected      func()
	connectError   func(error)
	disconnected   func(error)
	close          func(int, string)
	textSent       func(string)
	binarySent     func([]byte)
	sentError      func(error)
	pingReceived   func(string)
	pongReceived   func(string)
	textReceived   func(string)
	binaryReceived func([]byte)
}

// set stores one handler under the lock.
func set[F any](c *Wsc, field *F, f F) {
	c.cb.mu.Lock()
	*field = f
	c.cb.mu.Unlock()
}

// OnConnected is called after each successful dial (the first and every
// reconnect), before any frame of that connection is read or written.
func (c *Wsc) OnConnected(f func()) { set(c, &c.cb.connected, f) }

// OnConnectError is called after each failed dial with a *DialError, or
// once with an ErrBadURL error (from the goroutine calling Connect) for a URL
// that can never connect. A dial stopped by Close or a cancelled context is
// not a failure and is not reported.
func (c *Wsc) OnConnectError(f func(err error)) { set(c, &c.cb.connectError, f) }

// OnDisconnected is called once when a connection that OnConnected announced
// ends: with the server's *websocket.CloseError, a read or write error, or
// ErrClose when Close ended it.
func (c *Wsc) OnDisconnected(f func(err error)) { set(c, &c.cb.disconnected, f) }

// OnClose is called with the code and text of a close frame from the server,
// and once with (1000, msg) when Close or CloseWithMsg closes the client.
func (c *Wsc) OnClose(f func(code int, text string)) { set(c, &c.cb.close, f) }

// OnTextMessageSent is called after a text frame was written.
func (c *Wsc) OnTextMessageSent(f func(message string)) { set(c, &c.cb.textSent, f) }

// OnBinaryMessageSent is called after a binary frame was written.
func (c *Wsc) OnBinaryMessageSent(f func(data []byte)) { set(c, &c.cb.binarySent, f) }

// OnSentError is called when writing a frame failed. The frame stays first
// in the send buffer and is written again on the next connection.
func (c *Wsc) OnSentError(f func(err error)) { set(c, &c.cb.sentError, f) }

// OnPingReceived is called for each WebSocket ping; the client answers with
// a pong by itself.
func (c *Wsc) OnPingReceived(f func(appData string)) { set(c, &c.cb.pingReceived, f) }

// OnPongReceived is called for each WebSocket pong.
func (c *Wsc) OnPongReceived(f func(appData string)) { set(c, &c.cb.pongReceived, f) }

// OnTextMessageReceived is called for each text frame. In a HubClient it
// sees the raw JSON before the frame is decoded and dispatched.
func (c *Wsc) OnTextMessageReceived(f func(message string)) { set(c, &c.cb.textReceived, f) }

// OnBinaryMessageReceived is called for each binary frame. data is not
// reused by the client.
func (c *Wsc) OnBinaryMessageReceived(f func(data []byte)) { set(c, &c.cb.binaryReceived, f) }

// get reads one handler under the lock.
func get[F any](c *Wsc, field *F) F {
	c.cb.mu.RLock()
	defer c.cb.mu.RUnlock()
	return *field
}

// call0, call1 and call2 run a handler unless it is nil.
func call0(c *Wsc, f func()) {
	if f == nil {
		return
	}
	f()
}

func call1[A any](c *Wsc, f func(A), a A) {
	if f == nil {
		return
	}
	f(a)
}

func call2[A, B any](c *Wsc, f func(A, B), a A, b B) {
	if f == nil {
		return
	}
	f(a, b)
}

func (c *Wsc) fireConnected()               { call0(c, get(c, &c.cb.connected)) }
func (c *Wsc) fireConnectError(err error)   { call1(c, get(c, &c.cb.connectError), err) }
func (c *Wsc) fireDisconnected(err error)   { call1(c, get(c, &c.cb.disconnected), err) }
func (c *Wsc) fireClose(code int, t string) { call2(c, get(c, &c.cb.close), code, t) }
func (c *Wsc) fireSentError(err error)      { call1(c, get(c, &c.cb.sentError), err) }
func (c *Wsc) firePing(data string)         { call1(c, get(c, &c.cb.pingReceived), data) }
func (c *Wsc) firePong(data string)         { call1(c, get(c, &c.cb.pongReceived), data) }

func (c *Wsc) fireSent(f frame) {
	if f.isText() {
		if h := get(c, &c.cb.textSent); h != nil {
			call1(c, h, string(f.data))
		}
		return
	}
	call1(c, get(c, &c.cb.binarySent), f.data)
}

func (c *Wsc) fireReceived(kind int, data []byte) {
	if kind == websocket.TextMessage {
		if h := get(c, &c.cb.textReceived); h != nil {
			call1(c, h, string(data))
		}
		return
	}
	call1(c, get(c, &c.cb.binaryReceived), data)
}
