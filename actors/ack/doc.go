// Package ack is the ack tracker actor: it owns every message that waits for an
// ack, from the moment the hub hands it to the user's connections until its
// outcome (acknowledged, rejected, or handed to the offline path).
//
// Who calls what: the hub spawns the tracker as its child and sends it Track,
// Ack (from any connection of the user), UserGone, Drop, Stored and Flush. The tracker
// answers the hub with Resend, GiveUp and Flushed, sends a 4004 error frame
// straight to a session that acked an unknown id, and writes each outcome to
// the waiter channel given with Track (buffered; it never blocks). The
// Observer is called from this mailbox only: every outcome passes here, those
// of messages the hub stored at once included (Stored).
//
// Timers follow DESIGN.md: time.AfterFunc sends a timeout message to the
// tracker itself; a stale generation is ignored; all timers stop when it stops.
// Backoff: the first wait is the timeout, each later wait twice the previous
// (capped at MaxBackoff), up to MaxRetry resends; then the message is given up
// (max_retry) to the offline path.
package ack
