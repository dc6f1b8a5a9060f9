package main

import (
	"context"
	"net/http"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/transport/ws"
)

// serverConfig is what the flags set.
type serverConfig struct {
	Port int
	Hub  hub.Config
	WS   ws.Options
}

// server is the hub, its transports and the HTTP API, wired together.
type server struct {
	system *actor.ActorSystem
	hub    *hub.Hub
	ws     *ws.Handler
}

func newServer(cfg serverConfig) (*server, error) {
	system := actors.NewSystem()
	cfg.Hub.Port = cfg.Port
	h, err := hub.New(system, cfg.Hub)
	if err != nil {
		return nil, err
	}
	return &server{system: system, hub: h, ws: ws.NewHandler(h, cfg.WS)}, nil
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /ws", s.ws)
	mux.HandleFunc("POST /api/send", s.handleSend)
	mux.HandleFunc("GET /api/stats", s.handleStats)
	mux.HandleFunc("GET /api/users", s.handleUsers)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	return mux
}

// shutdown closes every connection (1001), then stops the actor system.
func (s *server) shutdown(ctx context.Context) error {
	err := s.hub.Shutdown(ctx)
	s.system.Shutdown()
	return err
}
