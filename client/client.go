package client

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// closeTimeout bounds Close: the time given to flush the send buffer, send
// the close frame and hear the server's answer before the socket is cut.
// It holds even when the peer has stopped reading.
const closeTimeout = time.Second

// state is where the client is in its life. Transitions happen under Wsc.mu.
type state int

const (
	stateIdle       state = iota // no connection loop: before Connect, or after ConnectContext gave up
	stateConnecting              // the loop is dialling or waiting to redial
	stateConnected               // the loop is serving a connection
	stateClosed                  // terminal
)

// Wsc is a WebSocket client that reconnects by itself. Its methods are safe
// for concurrent use; see the package documentation for which goroutine
// calls each callback.
type Wsc struct {
	url      string
	header   http.Header
	headerFn func(ctx context.Context) (http.Header, error) // WithHeaderFunc; nil: header alone
	dialer   *websocket.Dialer
	hub      *HubClient     // non-nil in hub mode: text frames are also decoded and dispatched
	rnd      func() float64 // jitter source; tests make it deterministic

	// stopCtx ends with Close: it stops dials, backoff waits and the loop.
	stopCtx  context.Context
	stopLoop context.CancelFunc

	cb   callbacks
	own  ownGoroutines // the loop, reader and writer goroutines (goid.go)
	wake chan struct{} // cap 1: the outbox has frames for the writer

	mu           sync.Mutex
	cfg          settings
	state        state
	closedByUser bool          // Close was called (as opposed to a terminal server close)
	closeMsg     string        // CloseWithMsg's text
	out          outbox        // frames waiting for the writer
	loopDone     chan struct{} // closed when the current connection loop has exited
}

// New returns a client for url (ws:// or wss://). It does not dial: call
// Connect or ConnectContext. Frames sent before that wait in the send buffer.
func New(url string, opts ...Option) *Wsc {
	return newWsc(url, buildOptions(opts))
}

func newWsc(url string, o options) *Wsc {
	ctx, cancel := context.WithCancel(context.Background())
	if o.batch {
		url = withQuery(url, "batch", "1")
	}
	return &Wsc{
		url:      url,
		header:   o.header,
		headerFn: o.headerFn,
		dialer:   o.dialer,
		rnd:      defaultRand,
		stopCtx:  ctx,
		stopLoop: cancel,
		wake:     make(chan struct{}, 1),
		cfg:      o.config.resolve(),
	}
}

// withQuery sets key=value in raw's query string; a URL that does not parse is
// left as it is (the dial reports it).
func withQuery(raw, key, value string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// SetConfig replaces the configuration (nil means all defaults). It takes
// effect at the next connection; the buffer bound and AutoReconnect at once.
func (c *Wsc) SetConfig(config *Config) {
	s := config.resolve()
	c.mu.Lock()
	c.cfg = s
	c.mu.Unlock()
}

func (c *Wsc) settings() settings {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cfg
}

// Connect dials and blocks until the client is connected or closed, retrying
// with backoff (go-wsc's behaviour). Use ConnectContext to bound the wait.
func (c *Wsc) Connect() { _ = c.ConnectContext(context.Background()) }

// ConnectContext dials and blocks until the client is connected (nil), ctx
// ends (ctx.Err()), the client is closed (ErrClose) or, with AutoReconnect
// off, the one dial fails (that error). When ctx ends first the dial loop
// stops at once — even mid-handshake — and the client may be connected
// later. ctx only bounds the connecting: once connected the client
// reconnects by itself until Close. If already connected it returns nil; if
// another call is dialling, ErrConnecting.
func (c *Wsc) ConnectContext(ctx context.Context) error {
	if err := checkURL(c.url); err != nil {
		c.fireConnectError(err)
		return err
	}
	c.mu.Lock()
	switch c.state {
	case stateClosed:
		c.mu.Unlock()
		return ErrClose
	case stateConnected:
		c.mu.Unlock()
		return nil
	case stateConnecting:
		c.mu.Unlock()
		return ErrConnecting
	}
	c.state = stateConnecting
	done := make(chan struct{})
	c.loopDone = done
	c.mu.Unlock()

	ready := make(chan error, 1)
	go c.run(ctx, ready, done)
	err := <-ready
	if err != nil {
		<-done // the loop gave up and is returning: leave nothing behind
	}
	return err
}

// checkURL refuses URLs that can never connect, so they are not retried.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	if u.Scheme != "ws" && u.Scheme != "wss" {
		return fmt.Errorf("%w: scheme %q, want ws or wss", ErrBadURL, u.Scheme)
	}
	return nil
}

// SendTextMessage queues a text frame. It never blocks: while disconnected
// the frame waits in the send buffer and goes out, in order, after the next
// connect. It returns ErrClose once the client is closed and ErrBufferFull
// when MessageBufferSize frames are already waiting.
func (c *Wsc) SendTextMessage(message string) error {
	return c.enqueue(frame{kind: websocket.TextMessage, data: []byte(message)})
}

// SendBinaryMessage is SendTextMessage for a binary frame. data is copied,
// so the caller may reuse it at once.
func (c *Wsc) SendBinaryMessage(data []byte) error {
	return c.enqueue(frame{kind: websocket.BinaryMessage, data: bytes.Clone(data)})
}

func (c *Wsc) enqueue(f frame) error {
	c.mu.Lock()
	if c.state == stateClosed {
		c.mu.Unlock()
		return ErrClose
	}
	if c.out.len() >= c.cfg.bufferSize {
		c.mu.Unlock()
		return ErrBufferFull
	}
	c.out.push(f)
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default: // the writer has a wake-up pending already
	}
	return nil
}

// pop hands the writer the next frame.
func (c *Wsc) pop() (frame, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.pop()
}

// requeue puts back a frame whose write failed, unless the client is closed.
func (c *Wsc) requeue(f frame) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != stateClosed {
		c.out.pushFront(f)
	}
}

// Close closes the client with code 1000 and no text; see CloseWithMsg.
func (c *Wsc) Close() { c.CloseWithMsg("") }

// CloseWithMsg closes the client for good: it stops any dial or backoff at
// once; when connected it writes the frames still buffered, sends a close
// frame (1000, msg) and waits for the server's answer, all within 1 s even
// if the server has stopped reading; frames not written by then are
// dropped. OnClose(1000, msg) is called once, then OnDisconnected(ErrClose)
// if a connection was open. Close waits until the client's goroutines have
// ended, except when called from a callback (on one of those goroutines),
// which cannot wait for itself: then it returns at once and the goroutines
// end right after. Calling it again changes nothing.
func (c *Wsc) CloseWithMsg(msg string) {
	c.mu.Lock()
	first := c.state != stateClosed
	idle := c.state == stateIdle
	if first {
		c.state = stateClosed
		c.closedByUser = true
		c.closeMsg = msg
		if idle {
			c.out.clear()
		}
	}
	done := c.loopDone
	c.mu.Unlock()

	c.stopLoop()
	if first && idle {
		// No loop is running to report the close, so report it here.
		c.fireClose(websocket.CloseNormalClosure, msg)
	}
	if done == nil || c.own.isCaller() {
		return
	}
	// The loop ends within closeTimeout by construction; the extra margin
	// only guards against a callback that never returns.
	t := time.NewTimer(2 * closeTimeout)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}

// Closed reports whether the client is closed for good.
func (c *Wsc) Closed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state == stateClosed
}

// IsConnected reports whether a connection is open now.
func (c *Wsc) IsConnected() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state == stateConnected
}
