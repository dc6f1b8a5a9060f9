// Package session is the session actor: one per connection, whatever the
// transport. It owns the connection's life: the heartbeat and idle timer, the
// inbound rate limit, the parsing of inbound frames, the slow-consumer policy
// and the close; it knows the hub only by PID. The outbound queue (an Outbox,
// a bounded channel read by the transport's writer) takes frames from two
// producers without blocking either: the hub queues routed frames on it
// directly (one hop instead of two), the session its own control frames.
//
// Who calls what:
//   - The transport adapter (transport/ws, transport/sse) spawns the actor with
//     Props, then its goroutines send it Received, Pong and TransportDone.
//   - The hub queues routed frames with Transport.Send from its own mailbox, and
//     sends the session Overflow (that Send refused: slow consumer), CloseCmd,
//     Release, and Deliver for frames it does not queue itself.
//   - The actor calls the Transport's methods from its mailbox; none blocks
//     (the Outbox hand-off is a non-blocking channel send).
//
// Life cycle: Started → Register to the hub → … → the transport ends (peer gone,
// CloseCmd, slow consumer, idle timeout) → TransportDone with the frames never
// written → Gone to the hub with those frames → the hub unregisters and answers
// Release → the actor stops. Frames that reach the session in between come
// back to the hub as Undelivered, and the hub drains what it queued itself
// after Gone, so none is dropped.
package session
