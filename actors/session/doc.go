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
//     Props (it registers with the hub on Started) or with Spawn (which
//     registers it before returning), then its goroutines send it Received,
//     Pong and TransportDone. A transport started with Spawn may read through
//     an Ingress instead of sending Received: its reader then applies the
//     rate limit, decodes, and hands ordinary routed messages to the hub
//     itself (Inbound), the rest to the session.
//   - The hub queues routed frames with Transport.Send from its own mailbox;
//     it owns them: when Send refuses, the hub keeps the frame and sends the
//     session CloseCmd (3002, slow consumer). It also sends CloseCmd, Release,
//     and Control for the error frames it answers a client with (as the ack
//     tracker does for an unknown ack id).
//   - The actor calls the Transport's methods from its mailbox; none blocks
//     (the Outbox hand-off is a non-blocking channel send).
//
// The session never holds a routed frame: it handles inbound frames, timers
// and control frames only. Control frames (pong, error) may be lost with the
// connection; routed ones may not, and the hub is their only owner.
//
// Life cycle: Register to the hub (on Started, or by Spawn) → … → the transport ends (peer gone,
// CloseCmd, slow consumer, idle timeout) → TransportDone (no frames: what was
// never written stays in the outbox) → Gone to the hub → the hub drains the
// outbox once, unregisters the session and answers Release → the actor stops.
package session
