package main

import (
	"embed"
	"io/fs"
	"net/http"
)

// web holds the console page: HTML, CSS, app.js (hand-written) and
// wsc-client.js, the @go-wsc/client package (client/js) bundled by esbuild.
// The bundle is committed, so `go build` needs no Node; `make js` fails when
// it is not what the package's sources build to. Nothing is fetched from
// elsewhere.
//
//go:embed web
var web embed.FS

// consoleCSP keeps the page to its own origin: its files, and its API,
// WebSocket and SSE endpoints.
const consoleCSP = "default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'"

// consoleHandler serves the console's files. no-cache makes a browser check
// again after a restart, so a new build's page is never mixed with an old
// script.
func consoleHandler() http.Handler {
	sub, err := fs.Sub(web, "web")
	if err != nil {
		panic(err) // the embed directive guarantees the directory
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-cache")
		h.Set("Content-Security-Policy", consoleCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
}
