// Package remote runs the hub under test in a process of its own, so that the
// server's CPU and memory can be measured alone (issue 14): the load runs in
// the bench's process, the server in a child, and the figures come from the
// child's /proc/<pid>/stat and /proc/<pid>/status.
//
// Two kinds of child: cmd/wsc-server, go-wsc as it is deployed (Start with
// KindWscServer, built from this repository), and the bench binary itself in
// -serve mode (Serve), which serves one of the baseline hubs (the chat-style
// hub, the no-hub ceiling) with a small HTTP API for the load: the number of
// connections and a broadcast.
//
// Concurrency: a *Server's methods may be called from any goroutine; Close is
// idempotent and returns when the child has exited (killed after a bound).
package remote
