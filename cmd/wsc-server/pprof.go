package main

import (
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// profiler serves net/http/pprof on a listener of its own (-pprof), so the
// profiles never show on the public address and the public mux stays as it
// is. It is registered on its own mux, not http.DefaultServeMux.
type profiler struct {
	ln  net.Listener
	srv *http.Server
}

// startPprof listens on addr and serves the profiles; an empty addr starts
// nothing and returns nil (a nil *profiler's Close does nothing).
func startPprof(addr string) (*profiler, error) {
	if addr == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	// no WriteTimeout: a CPU profile or a trace streams for its ?seconds=
	p := &profiler{ln: ln, srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

// Addr is the address the profiles are served on.
func (p *profiler) Addr() net.Addr { return p.ln.Addr() }

// Close stops serving the profiles at once (a profile being taken is cut).
func (p *profiler) Close() error {
	if p == nil {
		return nil
	}
	return p.srv.Close()
}
