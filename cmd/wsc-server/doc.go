// Command wsc-server is go-wsc's runnable server: a hub on its embedded
// defaults, WebSocket at /ws, and a small HTTP API (/api/send, /api/stats,
// /api/users). `make run` starts it on :8080.
//
// Goroutines: net/http serves each request on its own goroutine; handlers only
// talk to the hub through its facade, which is safe for concurrent use.
package main
