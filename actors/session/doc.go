// Package session is the session actor: one per connection, whatever the
// transport. It owns the connection's outbound queue (an Outbox), the
// heartbeat and idle timer, the inbound rate limit, and the parsing of inbound
// frames; it knows the hub only by PID.
//
// Who calls what:
//   - The transport adapter (transport/ws, transport/sse) spawns the actor with
//     Props, then its goroutines send it Received, Pong and TransportDone.
//   - The hub sends it Deliver (frames to write) and CloseCmd.
//   - The actor calls the Transport's methods from its mailbox only; they never
//     block (the Outbox hand-off is a non-blocking channel send).
//
// Life cycle: Started → Register to the hub → … → the transport ends (peer gone,
// CloseCmd, slow consumer, idle timeout) → TransportDone with the frames never
// written → Gone to the hub with those frames → the hub unregisters and answers
// Release → the actor stops. Frames the hub sent in between come back to the hub
// as Undelivered, so none is dropped.
package session
