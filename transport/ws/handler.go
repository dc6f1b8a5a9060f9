package ws

import (
	"net/http"

	"github.com/asynkron/protoactor-go/actor"
	"sync"
	"sync/atomic"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/transport/auth"
	"github.com/gorilla/websocket"
)

// Server serves WebSocket connections for one hub; it is an http.Handler.
type Server struct {
	hub      *hub.Hub
	opts     Options
	upgrader websocket.Upgrader
	// prepared counts shared frames framed for WebSocket: once each, however
	// many connections they go to.
	prepared atomic.Int64
	// writers write the connections' frames (pool.go)
	writers writerPool
}

// Handler makes the WebSocket handler of h.
func Handler(h *hub.Hub, opts Options) *Server {
	opts = opts.withDefaults()
	return &Server{
		hub:  h,
		opts: opts,
		upgrader: websocket.Upgrader{
			ReadBufferSize:  opts.ReadBufferSize,
			WriteBufferSize: opts.WriteBufferSize,
			WriteBufferPool: &sync.Pool{}, // gorilla writes only the handshake answer
			CheckOrigin:     opts.CheckOrigin,
		},
	}
}

// PreparedMessages is how many shared frames were framed for WebSocket (once
// each, the counterpart of gorilla's PreparedMessage).
func (s *Server) PreparedMessages() int64 { return s.prepared.Load() }

// ServeHTTP authenticates, upgrades, spawns the session and starts the
// connection's reader and writer.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id, ok := auth.Admit(w, r, s.hub.Closed(), s.opts.Authenticate, s.opts.CheckOrigin)
	if !ok {
		return
	}
	if last := r.URL.Query().Get("last_event_id"); len(last) > auth.MaxIDBytes {
		http.Error(w, auth.ErrLongID.Error(), http.StatusBadRequest)
		return
	} else if last != "" {
		id.LastEventID = last // resume after the last message the client saw
	}
	// the upgrader names no subprotocols of its own, so it answers the one
	// set here: what a browser that sent its token as one needs back
	var answer http.Header
	if p := auth.AnswerSubprotocol(r); p != "" {
		answer = http.Header{"Sec-Websocket-Protocol": {p}}
	}
	c, err := upgrade(&s.upgrader, w, r, answer)
	if err != nil {
		return // the upgrader has answered the request
	}
	cfg := s.hub.Config()
	// no gorilla read limit: gorilla would write its own 1009 from the reader,
	// and only the writer may write; the reader enforces the limit itself
	t := newTransport(s, c, session.NewLazyOutbox(cfg.MessageBufferSize, cfg.MaxQueueBytes), cfg.MaxMessageSize)
	t.arrays = r.URL.Query().Get("batch") == "1"
	system := s.hub.System()
	scfg := s.hub.SessionConfigFor(id)
	t.root = system.Root
	session.Spawn(system.Root, scfg, id, t, func(pid *actor.PID) {
		t.pid = pid
		t.in = session.NewIngress(scfg, id, t, pid, t.root)
	})
	// the writer starts when there is something to write (kick);
	// a fresh goroutine for the reader, so that net/http's, whose stack grew
	// while serving the handshake, ends here: an idle connection holds two
	// small stacks
	go t.readLoop()
}
