package sse

import (
	"context"
	"crypto/rand"
	"net/http"
	"time"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/auth"
)

// serveStream authenticates, spawns the session and then writes the stream
// until it ends; the request's goroutine is the stream's only goroutine.
func (s *Server) serveStream(w http.ResponseWriter, r *http.Request) {
	id, ok := auth.Admit(w, r, s.hub.Closed(), s.opts.Authenticate, func(r *http.Request) bool { return s.allowOrigin(w, r) })
	if !ok {
		return
	}
	if !canFlush(w) {
		http.Error(w, ErrNoStreaming.Error(), http.StatusInternalServerError)
		return
	}
	if last := lastEventID(r); len(last) > auth.MaxIDBytes {
		http.Error(w, auth.ErrLongID.Error(), http.StatusBadRequest)
		return
	} else if last != "" {
		id.LastEventID = last
	}

	cfg := s.hub.Config()
	scfg := s.hub.SessionConfigFor(id)
	scfg.HeartbeatInterval, scfg.ClientTimeout = cfg.SSEHeartbeat, cfg.SSETimeout
	scfg.PostSecret = rand.Text()
	t := newTransport(s, session.NewOutbox(cfg.SSEMessageBuffer, cfg.MaxQueueBytes))
	system := s.hub.System()
	t.root = system.Root
	t.pid = system.Root.Spawn(session.Props(scfg, id, t))
	s.streams.Add(1)
	if s.hub.Closed() { // Shutdown began since the check above: the hub may never see this session
		t.Close(protocol.CloseGoingAway, "server shutting down")
	}

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no") // tell nginx-like proxies not to buffer the stream
	w.WriteHeader(http.StatusOK)
	err := t.writeLoop(r.Context(), w, sessionID(t.pid, scfg.PostSecret))

	s.streams.Add(-1)
	// what was never written stays in the outbox: the hub drains it on Gone
	t.root.Send(t.pid, &session.TransportDone{Err: err})
}

// writeLoop owns every write to the stream. It returns when the session asks
// for a close, when the client goes away, or when a write fails (the frame
// being written then goes back to the outbox, for the hub).
func (t *transport) writeLoop(ctx context.Context, w http.ResponseWriter, sid string) error {
	e := emitter{w: w, rc: http.NewResponseController(w), wait: t.h.opts.WriteWait}
	// A deadline set for the last event also bounds net/http's end of the
	// response; the server clears it before the connection serves another request.
	if err := e.emit(sessionEvent(sid)); err != nil {
		return err
	}
	for {
		if e.armed && t.outbox.Len() == 0 {
			e.disarm() // no deadline may expire while the stream is idle
		}
		select {
		case <-t.closeReq: // a close wins over queued frames; they go back to the hub
			return t.writeClose(&e)
		default:
		}
		select {
		case f := <-t.outbox.C():
			if err := e.emit(t.event(f)); err != nil {
				t.outbox.Return([]*session.Frame{f})
				return err
			}
			t.outbox.Written(f)
		case <-t.ping:
			if err := e.emit(pingComment); err != nil {
				return err
			}
		case <-t.closeReq:
			return t.writeClose(&e)
		case <-ctx.Done():
			return nil // the client went away
		}
	}
}

// event is f formatted as an SSE event; a shared frame is formatted once for
// every stream it goes to.
func (t *transport) event(f *session.Frame) []byte {
	if !f.Shared {
		t.buf = appendFrame(t.buf[:0], f)
		return t.buf
	}
	return f.Encoded(session.KindSSE, func(f *session.Frame) any {
		t.h.prepared.Add(1)
		return appendFrame(nil, f)
	}).([]byte)
}

func (t *transport) writeClose(e *emitter) error {
	if t.closeCode == 0 {
		return nil
	}
	return e.emit(closeEvent(t.closeCode, t.closeText))
}

// emitter writes and flushes one event at a time, each within a write
// deadline. Where the ResponseWriter has no deadlines, writes are unbounded.
type emitter struct {
	w     http.ResponseWriter
	rc    *http.ResponseController
	wait  time.Duration
	armed bool // a write deadline is set
}

func (e *emitter) emit(b []byte) error {
	if e.rc.SetWriteDeadline(time.Now().Add(e.wait)) == nil {
		e.armed = true
	}
	if _, err := e.w.Write(b); err != nil {
		return err
	}
	return e.rc.Flush()
}

// disarm clears the write deadline: with HTTP/2 a deadline that passes resets
// the stream even when nothing is being written.
func (e *emitter) disarm() {
	_ = e.rc.SetWriteDeadline(time.Time{})
	e.armed = false
}

// lastEventID is the id of the last event the client saw: the Last-Event-ID
// header EventSource sends when it reconnects, or the last_event_id query
// parameter (for polyfills that cannot set headers).
func lastEventID(r *http.Request) string {
	if v := r.Header.Get("Last-Event-ID"); v != "" {
		return v
	}
	return r.URL.Query().Get("last_event_id")
}

// canFlush reports whether w, or a ResponseWriter it wraps, can flush.
func canFlush(w http.ResponseWriter) bool {
	for {
		switch x := w.(type) {
		case http.Flusher:
			return true
		case interface{ FlushError() error }:
			return true
		case interface{ Unwrap() http.ResponseWriter }:
			w = x.Unwrap()
		default:
			return false
		}
	}
}
