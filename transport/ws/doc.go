// Package ws is the WebSocket transport: an http.Handler that authenticates,
// checks the origin, upgrades with gorilla/websocket and spawns a session actor
// per connection, plus the goroutines that move frames.
//
// Goroutines per connection:
//   - the reader (a goroutine of its own, so that net/http's, and what it held
//     for the handshake, ends with ServeHTTP) hands each inbound frame to the
//     session's Ingress, which applies the rate limit, decodes it and sends
//     an ordinary routed message straight to the hub (one hop fewer per
//     message), the rest to the session; each pong (or ping) becomes
//     session.Pong. It holds one credit per frame still in the actors, or
//     answered (an error, a pong) with the answer not yet written (the writer
//     gives that credit back), and stops reading past inboundCredits (at most
//     a quarter of the outbox), so TCP pushes back on a client that outruns
//     the hub or does not read its answers;
//   - the writer owns every write to the connection: frames from the outbox
//     (queued by the hub and the session), pings, the pongs and close replies
//     the reader asks for, the close frame. It runs only while there is
//     something to write: every producer kicks it after queuing, and the kick
//     that finds it idle queues the connection on one of the Server's writer
//     shards (one per P, pool.go), whose worker writes what is queued with
//     one write(2) that does not wait, then lets the connection go idle. So
//     a broadcast to many connections starts no goroutine per connection,
//     and an idle connection holds the reader alone. A connection whose
//     socket is full (a slow peer), that is closing, or that has no raw
//     socket (TLS) is handed to a goroutine of its own (writeLoop), which
//     may wait, under the write deadline, and returns when all is written.
//     The writer frames server frames itself (they are unmasked) to write
//     everything already queued with one syscall; gorilla does the handshake
//     and the reading, and writes nothing after the handshake (its
//     connection is sealed: sealed.go; the reader asks the writer for the
//     1002 gorilla would write on a protocol error). A connection opened with ?batch=1 gets what is queued
//     as one frame holding a JSON array (PROTOCOL.md).
//
// When the reader and the writer have both finished for good, the last one
// sends session.TransportDone with the frames never written. Close may be
// called from any goroutine; it never blocks.
package ws
