// Package auth is what the HTTP transports (transport/ws, transport/sse) share
// before a session exists: who the caller is (an Authenticate hook, or the
// development-mode query string) and whether its Origin is allowed.
//
// Everything here runs on the HTTP handler's goroutine, before any actor.
package auth
