package remote

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/go-wsc/go-wsc/bench/hubs"
)

// Serve is the child's side for a baseline hub (wsc-bench -serve NAME): it
// serves hub name on addr until ctx ends, then closes the hub. The WebSocket
// endpoint is /; /bench/connections, /bench/broadcast and /bench/send are the
// load's API; /debug/pprof/ the profiles (CPU, and an execution trace for
// the goroutines' scheduling delays, as wsc-server's -pprof serves them). It
// writes "listening on ADDR" to log once it accepts connections.
func Serve(ctx context.Context, name, addr string, log io.Writer) error {
	h, err := hubs.New(name)
	if err != nil {
		return err
	}
	defer h.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/", h.Handler())
	mux.HandleFunc("GET /bench/connections", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]int{"connections": h.Connections()})
	})
	mux.HandleFunc("POST /bench/broadcast", func(w http.ResponseWriter, r *http.Request) {
		answer(w, r, h.Broadcast)
	})
	mux.HandleFunc("POST /bench/send", func(w http.ResponseWriter, r *http.Request) {
		user := r.URL.Query().Get("user")
		answer(w, r, func(b []byte) error { return h.SendToUser(user, b) })
	})
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(log, "wsc-bench: %s listening on %s\n", name, ln.Addr())
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	h.Close() // the hijacked WebSocket connections first: srv.Close does not know them
	_ = srv.Close()
	return err
}

func answer(w http.ResponseWriter, r *http.Request, f func([]byte) error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err == nil {
		err = f(body)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}
