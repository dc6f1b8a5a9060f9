// Package auth is what the HTTP transports (transport/ws, transport/sse) share
// before a session exists: who the caller is and whether its Origin is
// allowed.
//
// Who the caller is comes from an Authenticator: Tokens.Authenticate (JWTs,
// HS* with a secret or RS*/PS*/ES*/EdDSA with a KeySet or RemoteKeys),
// ConnectHook (an HTTP call to the application, for backends not written in
// Go), a hook of the application's, or, in development, FromQuery (the query
// string, trusted as it is). An Authenticator's error is a 401 unless it is a
// StatusError (the connect hook's 403, or 503 when it is down). A token's identity carries a
// session.Credential, whose Renew the session actor calls on its mailbox
// when the client sends a refresh frame: it does no I/O.
//
// Goroutines: Admit, Identify, the Authenticators (the connect hook's HTTP
// call included) and the origin checks run on the HTTP handler's goroutine,
// before any actor. A RemoteKeys has one
// goroutine of its own (the periodic fetch), ended by Close, and may fetch
// on a connecting request's goroutine for an unknown kid. KeySet and Tokens
// never change after they are made; RemoteKeys swaps its whole KeySet
// through an atomic pointer. Nothing here takes a lock.
package auth
