package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stderr)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "wsc-server:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends (SIGINT or SIGTERM in main), then shuts down.
// Usage and log lines go to out.
func run(ctx context.Context, args []string, out io.Writer) error {
	logger := log.New(out, "", log.LstdFlags)
	cfg, err := parseConfig(args, out)
	if err != nil {
		return err
	}
	restoreGC, memLimit := applyGC(cfg)
	defer restoreGC()
	if memLimit > 0 {
		logger.Printf("wsc-server: memory limit %d MiB, nine tenths of the container's (GOMEMLIMIT sets another)", memLimit>>20)
	}
	if err := cfg.checkIdentity(); err != nil {
		return err // before listening: nothing to undo
	}
	if _, err := cfg.apiKeys(); err != nil {
		return err
	}
	var certs *certReloader
	if cfg.TLSCert != "" {
		if certs, err = newCertReloader(cfg.TLSCert, cfg.TLSKey); err != nil {
			return err
		}
	}
	ln, err := cfg.listen()
	if err != nil {
		return err
	}
	cfg.Port, _ = strconv.Atoi(portOf(ln.Addr()))
	srv, err := newServer(cfg)
	if err != nil {
		ln.Close()
		return err
	}
	srv.metrics.watchListener(ln)
	prof, err := startPprof(cfg.PprofAddr)
	if err != nil {
		ln.Close()
		return errors.Join(err, srv.shutdown(context.Background()))
	}
	defer prof.Close()
	if prof != nil {
		logger.Printf("wsc-server: pprof at http://%s/debug/pprof/", prof.Addr())
	}
	httpSrv := srv.httpServer()
	errc := make(chan error, 1)
	scheme := "http"
	if certs != nil {
		scheme = "https"
		httpSrv.TLSConfig = certs.tlsConfig()
		go func() { errc <- httpSrv.ServeTLS(ln, "", "") }() // HTTP/2 set up by net/http
	} else {
		go func() { errc <- httpSrv.Serve(ln) }()
	}
	var reloads []reloadable
	if certs != nil {
		reloads = append(reloads, reloadable{"certificate " + cfg.TLSCert, certs.Reload})
	}
	if srv.reloadKeys != nil {
		reloads = append(reloads, reloadable{"JWKS file " + cfg.Tokens.JWKSFile, srv.reloadKeys})
	}
	stopReload := reloadOnSIGHUP(logger, reloads...)
	defer stopReload()
	logger.Printf("wsc-server: node %s listening on %s: console at %s://%s/, WebSocket at /ws, SSE at /sse, metrics at /metrics",
		srv.hub.NodeID(), ln.Addr(), scheme, consoleHost(ln.Addr()))
	if srv.shared != nil {
		n, _ := srv.shared.st.OfflineLen("")
		logger.Printf("wsc-server: state in NATS JetStream (%d replicas), node %s: %d offline messages", cfg.JetStreamReplicas, srv.hub.NodeID(), n)
	} else {
		logger.Printf("wsc-server: %s", srv.data.describe(cfg.Data))
	}
	logger.Printf("wsc-server: at most %d open connections, %d per client address (0: no bound)", ln.maxOpen, ln.perAddr)

	if cfg.DevIdentity {
		logger.Printf("wsc-server: DEVELOPMENT MODE (-dev-identity): clients are whoever ?user_id= says; never expose this server")
	}

	var serveErr error
	select {
	case serveErr = <-errc: // the listener failed: still stop the hub's actors
	case <-ctx.Done():
		logger.Printf("wsc-server: shutting down")
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	// Connections first (1001, pending messages to the offline path), then
	// the HTTP server, which then has only idle connections left to close.
	err = srv.shutdown(shutdownCtx)
	if herr := httpSrv.Shutdown(shutdownCtx); herr != nil && !errors.Is(herr, http.ErrServerClosed) {
		err = errors.Join(err, herr)
	}
	return errors.Join(serveErr, err)
}

func portOf(a net.Addr) string {
	_, port, _ := net.SplitHostPort(a.String())
	return port
}

// consoleHost is the address to print for a browser: a wildcard listener is
// reachable as localhost.
func consoleHost(a net.Addr) string {
	host, port, _ := net.SplitHostPort(a.String())
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
