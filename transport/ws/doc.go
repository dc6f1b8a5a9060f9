// Package ws is the WebSocket transport: an http.Handler that authenticates,
// checks the origin, upgrades with gorilla/websocket and spawns a session actor
// per connection, plus the two goroutines that move frames.
//
// Goroutines per connection:
//   - the reader (a goroutine of its own, so that net/http's, and what it held
//     for the handshake, ends with ServeHTTP) turns each inbound frame into
//     session.Received and each pong (or ping) into session.Pong;
//   - the writer, which runs only while there is something to write (each
//     producer kicks it; it returns when everything is written), owns every
//     write to the connection: frames from the session's
//     Outbox, pings on request, pongs and close replies the reader asks for, the
//     close frame. It frames server frames itself (they are unmasked) so that
//     it can write everything already queued with one syscall; gorilla does the
//     handshake and the reading.
//
// When both have returned, the last one sends session.TransportDone with the
// frames never written. Close may be called from any goroutine; it never blocks.
package ws
