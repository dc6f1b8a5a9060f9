package main

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/auth"
	wscnats "github.com/go-wsc/go-wsc/transport/nats"
	"github.com/go-wsc/go-wsc/transport/sse"
	"github.com/go-wsc/go-wsc/transport/ws"
	natsserver "github.com/nats-io/nats-server/v2/server"
)

// server is the hub, its transports, the HTTP API, the metrics and the
// console, wired together.
type server struct {
	cfg     serverConfig
	system  *actor.ActorSystem
	hub     *hub.Hub
	ws      *ws.Server
	sse     *sse.Server
	metrics *metrics
	// draining is set when shutdown begins, before the hub closes anything, so
	// /readyz turns 503 while connections are still being served.
	draining atomic.Bool
	// nats is the embedded NATS server, when this node runs one.
	nats *natsserver.Server
	// stopIdentity releases what identifying clients holds (a JWKS refresher);
	// reloadKeys reads a -jwks-file again (nil: none).
	stopIdentity func()
	reloadKeys   func() error
	// apiKeys guard /api/*, metricsKey /metrics; empty: open.
	apiKeys, metricsKey keyRing
	// data is the store in the data directory (nil with -memory), closed
	// after the hub in shutdown.
	data *dataDir
	// shared is the JetStream store (-jetstream); nil otherwise.
	shared *sharedStore
}

func newServer(cfg serverConfig) (*server, error) {
	if err := cfg.checkIdentity(); err != nil {
		return nil, err
	}
	keys, err := cfg.apiKeys()
	if err != nil {
		return nil, err
	}
	fetchCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second) // the first JWKS fetch
	ident, err := cfg.identity(fetchCtx)
	cancel()
	if err != nil {
		return nil, err
	}
	stopIdentity := ident.stop
	if authn := ident.authn; authn != nil {
		cfg.WS.Authenticate, cfg.SSE.Authenticate = authn, authn
		cfg.Hub.Authorize = chainAuthorize(auth.AuthorizeTickets, cfg.Hub.Authorize)
	}
	// The data directory first: a server that cannot keep what it accepts
	// must not start (a lock held by another server, a corrupt file).
	var data *dataDir
	if !cfg.JetStream { // with -jetstream the state is in NATS (shared.go)
		if data, err = openDataDir(cfg.Data, !cfg.Hub.DisableMessageRecord); err != nil {
			stopIdentity()
			return nil, err
		}
	}
	if data != nil {
		cfg.Hub.Store = data.db
		if data.records != nil {
			cfg.Hub.RecordStore = data.records
		}
	}
	var ns *natsserver.Server
	if cfg.NATSEmbedded {
		if cfg.JetStream {
			ns, err = wscnats.RunEmbeddedJetStream(cfg.NATSListen, filepath.Join(cfg.Data.Dir, "nats"))
		} else {
			ns, err = wscnats.RunEmbedded(cfg.NATSListen)
		}
		if err != nil {
			stopIdentity()
			_ = data.close()
			return nil, err
		}
		cfg.NATSURL = ns.ClientURL()
	}
	var shared *sharedStore
	if cfg.JetStream {
		if shared, err = openShared(&cfg); err != nil {
			stopNATS(ns)
			stopIdentity()
			return nil, err
		}
		cfg.Hub.Store = shared.st
	}
	var bus *wscnats.Bus
	if cfg.NATSURL != "" {
		bus = wscnats.New(wscnats.Options{URL: cfg.NATSURL})
		cfg.Hub.Bus = bus
	}
	system := actors.NewSystem()
	m := newMetrics()
	if bus != nil {
		m.watchBus(bus)
	}
	// The observer runs on the ack tracker's mailbox: the metric's is lock-free.
	cfg.Hub.AckObserver = chainObservers(m.observeAck, cfg.Hub.AckObserver)
	cfg.Hub.Port = cfg.Port
	h, err := hub.New(system, cfg.Hub)
	if err != nil {
		system.Shutdown()
		_ = shared.close()
		stopNATS(ns)
		stopIdentity()
		_ = data.close()
		return nil, err
	}
	m.watch(h)
	if cfg.SendWait == 0 {
		cfg.SendWait = 30 * time.Second
	}
	if cfg.RecordsAnswerBytes == 0 {
		cfg.RecordsAnswerBytes = defaultRecordsBytes
	}
	var metricsKey keyRing
	if cfg.MetricsKey != "" {
		metricsKey = newKeyRing([]string{cfg.MetricsKey})
	}
	return &server{cfg: cfg, system: system, hub: h, metrics: m, nats: ns, stopIdentity: stopIdentity, reloadKeys: ident.reload, data: data, shared: shared,
		apiKeys: newKeyRing(keys), metricsKey: metricsKey,
		ws: ws.Handler(h, cfg.WS), sse: sse.Handler(h, cfg.SSE)}, nil
}

// routes mounts every handler. The WebSocket upgrade and the SSE stream
// live on; everything else is a short route, with read and write deadlines
// (frontdoor.go).
func (s *server) routes() http.Handler {
	l := s.cfg.HTTP
	short := func(h http.Handler) http.Handler { return shortRoute(l.ReadTimeout, l.WriteTimeout, h) }
	mux := http.NewServeMux()
	mux.Handle("GET /ws", s.ws)
	// SSE: the stream, the inbound POST (?session=) and the CORS preflight.
	mux.Handle("GET /sse", s.sse)
	mux.Handle("POST /sse", short(s.sse))
	mux.Handle("OPTIONS /sse", short(s.sse))

	// The API sits behind its front door (apikeys.go): key, origin, JSON.
	api := http.NewServeMux()
	api.HandleFunc("POST /api/send", s.handleSend)
	api.HandleFunc("GET /api/stats", s.handleStats)
	api.HandleFunc("GET /api/users", s.handleUsers)
	api.HandleFunc("GET /api/records", s.handleRecords)
	api.HandleFunc("GET /api/records/{id}", s.handleRecord)
	api.HandleFunc("POST /api/records/{id}/retry", s.handleRetry)
	api.HandleFunc("POST /api/retry-failed", s.handleRetryFailed)
	api.HandleFunc("GET /api/tickets/{id}", s.handleTicket)
	api.HandleFunc("POST /api/tickets/{id}/join", s.handleJoin)
	api.HandleFunc("POST /api/tickets/{id}/leave", s.handleLeave)
	// Unknown API paths answer JSON, not the console's text 404.
	api.HandleFunc("/api/", handleNoRoute)
	write := l.WriteTimeout
	if write > 0 {
		write += s.cfg.SendWait // POST /api/send with "wait" answers after up to -send-wait
	}
	guarded := shortRoute(l.ReadTimeout, write, s.guardAPI(api))
	for _, method := range []string{"GET", "POST"} { // "GET /" (the console) would conflict with "/api/"
		mux.Handle(method+" /api/", guarded)
	}

	mux.Handle("GET /healthz", short(http.HandlerFunc(s.handleHealth)))
	mux.Handle("GET /readyz", short(http.HandlerFunc(s.handleReady)))
	mux.Handle("GET /metrics", short(requireKey(s.metricsKey, s.metrics.handler())))
	if s.cfg.Console {
		mux.Handle("GET /", short(consoleHandler()))
	}
	return mux
}

// shutdown marks the server as draining (/readyz: 503), waits DrainDelay so a
// load balancer can notice, closes every connection (1001) and stops the
// actor system. It returns when that is done or ctx ends.
func (s *server) shutdown(ctx context.Context) error {
	s.draining.Store(true)
	if d := s.cfg.DrainDelay; d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
	err := s.hub.Shutdown(ctx) // also closes the bus
	s.system.Shutdown()
	if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		err = errors.Join(err, s.shared.close()) // before its NATS server stops
	}
	stopNATS(s.nats)
	s.stopIdentity()
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		// The hub did not stop in time and may still use the store from its
		// mailbox: leave the store to the process's end, as a crash would
		// (what was answered as durable is on disk already).
		return err
	}
	// After the hub: its last writes (pending acks to the offline store,
	// the last records) are queued by now, and Close commits them.
	return errors.Join(err, s.data.close())
}

// stopNATS stops an embedded NATS server (nil: none), after the hub has left it.
func stopNATS(ns *natsserver.Server) {
	if ns != nil {
		ns.Shutdown()
		ns.WaitForShutdown()
	}
}

// chainAuthorize runs first, then next (nil: none); the first refusal wins.
func chainAuthorize(first, next func(*session.Identity, *protocol.Message) error) func(*session.Identity, *protocol.Message) error {
	if next == nil {
		return first
	}
	return func(id *session.Identity, m *protocol.Message) error {
		if err := first(id, m); err != nil {
			return err
		}
		return next(id, m)
	}
}
