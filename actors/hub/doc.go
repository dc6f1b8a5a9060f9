// Package hub is the hub actor and its typed facade, Hub.
//
// The hub actor owns the routing state: registered sessions, users and their
// connections, ticket groups and their members, per-user history (seq_no and
// recent messages, for Last-Event-ID), the offline store, and — with a Bus —
// its view of the other nodes (presence, replicated memberships, which node
// tracks which forwarded ack). Only its mailbox touches that state; there are
// no locks. Its children are the ack tracker (package ack) and, with an
// OfflineHandler, the actor that calls it; the recorder (package recorder) is
// a sibling it tells of every status change, fire and forget.
//
// Who calls what:
//   - Application goroutines call the Hub facade (safe for concurrent use) or
//     send the exported message types to Hub.PID(). Queries carry a buffered
//     reply channel and the facade waits on it with the caller's context.
//   - Session actors send session.Register (with their Transport), Inbound,
//     AckIn, Gone, Undelivered; the hub answers with CloseCmd, Overflow and
//     Release. Routed frames do not pass through the sessions: the hub queues
//     them on each transport's outbox itself (a non-blocking channel send), and
//     tells the session only when an outbox is full (Overflow: slow consumer).
//   - The ack tracker sends ack.Resend, GiveUp, Flushed; the hub sends it Track,
//     Ack, UserGone, Drop, Flush.
//   - The Bus's goroutine delivers other nodes' messages as actor messages; the
//     hub calls the Bus's non-blocking Watch, Unwatch and Publish from its mailbox.
//   - The welcome provider, the Authorize hook (on the sessions) and the
//     AckObserver (on the tracker) run on mailboxes: they must be quick.
//
// Every accepted message ends delivered, acknowledged, or in the offline path,
// and the recorder says which (DESIGN.md, "Nothing lost silently").
package hub
