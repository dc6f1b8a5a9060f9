// Package actors holds what every go-wsc actor shares: starting a quiet actor
// system. Nothing here routes. (Each facade waits on its actor's buffered
// reply channel with the caller's context; the hub's also stops waiting when
// the hub has stopped.)
//
// The actors themselves live in the sub-packages: hub (routing, presence, the
// offline path), session (one per connection), and later ack and recorder.
// Each actor's state is owned by that actor and touched only from its mailbox;
// callers talk to it with typed messages declared beside it.
package actors
