// Package actors holds what every go-wsc actor shares: starting a quiet actor
// system (system.go), and OwnGoroutine (dispatcher.go), the dispatcher of the
// three busy long-lived actors (the hub, its ack tracker, the recorder): one
// goroutine each, parked between runs, instead of protoactor's goroutine per
// mailbox run. It is the one protoactor feature used beyond the safe subset
// of the shared DESIGN.md (actor.WithDispatcher); sessions keep the default.
// Nothing here routes. (Each facade waits on its actor's buffered reply
// channel with the caller's context; the hub's also stops waiting when the
// hub has stopped.)
//
// The actors themselves live in the sub-packages: hub (routing, presence, the
// offline path), session (one per connection), ack and recorder. Each actor's
// state is owned by that actor and touched only from its mailbox; callers
// talk to it with typed messages declared beside it.
package actors
