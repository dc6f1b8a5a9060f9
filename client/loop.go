package client

import (
	"context"
	"errors"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
)

// run is the connection loop, one goroutine per Connect: it dials (with
// backoff) until connected, serves the connection, and after each one
// decides whether to redial. It alone moves the client between connecting
// and connected, and it calls OnConnected, OnConnectError and
// OnDisconnected, so those never overlap. ready receives the outcome of the
// first connect: ConnectContext's result.
func (c *Wsc) run(ctx context.Context, ready chan<- error, done chan<- struct{}) {
	defer close(done)
	c.own.mark(ownLoop)

	// Until the first connection, the caller's ctx may stop the loop too.
	initCtx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(c.stopCtx, cancel)
	conn, err := c.dialLoop(initCtx, false)
	stop()
	cancel()
	if err != nil {
		if cerr := stopped(ctx); cerr != nil {
			err = cerr // the caller's own context, not our derived one
		}
		ready <- c.endLoop(err, stateIdle)
		return
	}

	for {
		if !c.session(conn, ready) {
			return
		}
		ready = nil
		if conn, err = c.dialLoop(c.stopCtx, true); err != nil {
			c.endLoop(err, stateClosed)
			return
		}
	}
}

// endLoop settles the state when dialling stopped: after Close it reports
// OnClose and returns ErrClose; otherwise the client goes to next (idle when
// the first connect gave up, closed when a redial gave up) and err stands.
func (c *Wsc) endLoop(err error, next state) error {
	c.mu.Lock()
	byUser, msg := c.closedByUser, c.closeMsg
	if !byUser {
		c.state = next
		if next == stateClosed {
			c.out.clear()
		}
	}
	c.mu.Unlock()
	if byUser {
		c.fireClose(websocket.CloseNormalClosure, msg)
		return ErrClose
	}
	return err
}

// dialLoop dials until it gets a connection, waiting a backoff delay after
// each failure (and, when redialling after a lost connection, before the
// first attempt too). It stops when ctx ends, or after one failure when
// AutoReconnect is off.
func (c *Wsc) dialLoop(ctx context.Context, redial bool) (*websocket.Conn, error) {
	attempt := 0
	if redial {
		if !sleep(ctx, c.settings().backoff.delay(attempt, c.rnd)) {
			return nil, ctx.Err()
		}
		attempt++
	}
	for {
		conn, err := c.dial(ctx)
		if err == nil {
			return conn, nil
		}
		if err := stopped(ctx); err != nil {
			return nil, err // stopped, not failed: no OnConnectError
		}
		c.fireConnectError(err)
		cfg := c.settings()
		if !cfg.autoReconnect {
			return nil, err
		}
		if !sleep(ctx, cfg.backoff.delay(attempt, c.rnd)) {
			return nil, ctx.Err()
		}
		attempt++
	}
}

// session announces conn, serves it until it ends, reports the end, and
// says whether the loop should redial.
func (c *Wsc) session(conn *websocket.Conn, ready chan<- error) (redial bool) {
	c.mu.Lock()
	if c.closedByUser {
		// Close came while the handshake was finishing: the connection was
		// never announced, so only the close is reported.
		msg := c.closeMsg
		c.mu.Unlock()
		_ = conn.Close()
		c.fireClose(websocket.CloseNormalClosure, msg)
		signal(ready, ErrClose)
		return false
	}
	c.state = stateConnected
	cfg := c.cfg
	c.mu.Unlock()

	c.fireConnected()
	signal(ready, nil)
	cause := c.serve(conn, cfg)

	c.mu.Lock()
	byUser, msg := c.closedByUser, c.closeMsg
	terminal := !byUser && (!c.cfg.autoReconnect || !shouldReconnect(cause))
	switch {
	case byUser: // Close already made the state final
	case terminal:
		c.state = stateClosed
		c.out.clear()
	default:
		c.state = stateConnecting
	}
	c.mu.Unlock()

	if byUser {
		c.fireClose(websocket.CloseNormalClosure, msg)
	}
	c.fireDisconnected(cause)
	return !byUser && !terminal
}

// shouldReconnect applies PROTOCOL.md's close codes: a close frame from the
// server may forbid reconnecting; any other loss is transient.
func shouldReconnect(cause error) bool {
	var ce *websocket.CloseError
	if errors.As(cause, &ce) {
		return protocol.ShouldReconnect(ce.Code)
	}
	return true
}

func signal(ready chan<- error, err error) {
	if ready != nil {
		ready <- err
	}
}

// sleep waits d, or returns false as soon as ctx ends.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
