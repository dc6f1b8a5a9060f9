// Package hub is the hub actor and its typed facade, Hub.
//
// The hub actor owns the routing state: registered sessions, users and their
// connections, ticket groups and their members, per-user history (seq_no and
// recent messages, for Last-Event-ID), the offline store, and — with a Bus —
// its view of the other nodes (presence, replicated memberships, which node
// tracks which forwarded ack). Only its mailbox touches that state; there are
// no locks. Its children are the ack tracker (package ack) and, with an
// OfflineHandler, the actor that calls it; the recorder (package recorder) is
// a sibling it tells of every status change, fire and forget: one event per
// change on turns somebody may observe, gathered into one batch per busy
// stretch on the hot path, sent when the mailbox is empty after at most 1 ms
// (a timer of the hub's sends it a recFlush: recbatch.go).
//
// Shards (Config.Shards, shards.go): the routing state may be split over N
// hub actors, each on a goroutine of its own, so that routing runs on every
// core. A user's state lives on shard(user), a ticket's on shard(ticket),
// placed by hash; broadcasts start on shard 0. What spans shards goes as
// messages between them (parts.go): a ticket message's parts to the shards
// of its members, a broadcast's frame to every shard, a join counted on the
// user's shard and made on the ticket's. Hub.PID() is then a router that
// passes each message to its shard; PIDFor and SessionConfigFor address a
// shard directly. Messages for different keys are then not ordered with each
// other: a JoinTicket sent to PID() is counted on the user's shard before it
// is made on the ticket's, so a SendToTicket sent right behind it may come
// first; wait for the join's reply where that order matters. With one shard
// (a Bus, or a Store that is not a store.DB, forces one) the hub is the
// single actor described below.
//
// Who calls what:
//   - Application goroutines call the Hub facade (safe for concurrent use) or
//     send the exported message types to Hub.PID(). Queries carry a buffered
//     reply channel and the facade waits on it with the caller's context; a
//     nil channel, or one without room, gets no reply and never blocks the hub.
//   - Session actors send session.Register (with their Transport; or
//     session.Spawn does, for them), Inbound, AckIn and Gone; the hub answers
//     with CloseCmd, Control (error frames) and Release. A WebSocket reader
//     sends Inbound and AckIn itself (session.Ingress), in the session's name.
//   - The ack tracker sends ack.Resend, GiveUp, Flushed; the hub sends it Track,
//     Ack, UserGone, Drop, Stored, Flush. The AckObserver runs on the tracker
//     only; the OfflineHandler on its own child actor.
//   - The Bus's goroutine delivers other nodes' messages as actor messages; the
//     hub calls the Bus's non-blocking Watch, Unwatch and Publish from its mailbox.
//   - A writer goroutine calls the function the hub armed with WhenRoom, which
//     sends the hub a room message: the only way a transport talks to the hub.
//
// Ownership of outbound frames: the hub is the only owner of every routed frame
// until a writer has written it. It offers frames to each connection's outbox
// (non-blocking); what an outbox refuses it keeps (and closes that connection,
// 3002); what waits for room is in the connection's backlog (backlog.go:
// welcome, resume and offline redelivery, flow-controlled, with live frames
// behind); a writer puts back a batch it failed to write; when the session says
// Gone the hub drains the outbox once and sends each message the way of
// unwritten frames (offline.go). Across nodes a forwarded copy stays with the
// sending hub until the receiving node's delivery report (forward.go).
//
// Every accepted message ends delivered, acknowledged, or in the offline path,
// and the recorder says which (DESIGN.md, "Nothing lost silently").
package hub
