// Command wsc-server is go-wsc's runnable server: a hub on its embedded
// defaults, WebSocket at /ws, SSE at /sse, the HTTP API under /api/ (send,
// records, retries, tickets, stats, users), Prometheus metrics at /metrics,
// /healthz and /readyz, and the console page at /. `make run` starts it on
// :8080; `wsc-server -h` lists every flag and its environment variable, and
// wsc.example.toml every key of a -config file (config.go is the one place
// that defines them; github.com/peterbourgon/ff/v3 reads them).
//
// # Goroutines
//
// net/http serves each request on its own goroutine; handlers only talk to
// the hub and its recorder through their facades, which are safe for
// concurrent use and wait on the request's context. Two things run elsewhere:
// the AckObserver (metrics.go) runs on the ack tracker's mailbox and only
// does atomic adds and a histogram observation; the Prometheus collector
// (metrics_hub.go) runs on the scraping request's goroutine and asks the hub
// with a one-second bound. The only state the server keeps itself is the
// draining flag, an atomic set when shutdown begins, and the front door's:
// the bounded listener counts connections per client address in a map
// behind a mutex (Accept on net/http's accept goroutine, Close on whichever
// goroutine ends the connection); the TLS certificate sits behind an atomic
// pointer that the SIGHUP goroutine swaps (sighup.go) and every handshake
// reads; a JWKS URL has one refresher goroutine (auth.RemoteKeys), ended by
// shutdown. A token's identity is checked on the request's goroutine; its
// renewal (a refresh frame) on the session's mailbox, with no I/O.
//
// # Files
//
// config.go (flags, environment, config file), configfile.go (the file's
// formats), flagvalues.go (repeatable flags), identity.go (how clients are
// identified: -dev-identity, tokens, -connect-hook), apikeys.go (the API's
// front door: keys, origin, JSON), frontdoor.go (timeouts, short routes),
// listener.go (bounded connections), tls.go and sighup.go (HTTPS, reload),
// datadir.go (the data directory: the store on disk, opened before anything
// listens and closed after the hub), server.go (wiring and shutdown), api*.go
// (one file per resource), records_view.go (the JSON of a record),
// metrics*.go, health.go, console.go and web/ (the console page).
package main
