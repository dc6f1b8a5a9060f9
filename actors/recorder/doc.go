// Package recorder keeps a record of every message the hub accepts: its
// statuses with the time of each change, the failure reasons, the retry
// attempts, custom fields, tags and extra data. It is go-wsc's message-record
// system (SPEC.md, "message records") built as one actor.
//
// # Who owns what
//
// The recorder actor owns every record, the RecordStore that holds them, the
// eviction index, the counters, the filters, the named handlers and the
// resender. Nothing else reads or writes them: the Recorder facade sends the
// actor typed messages, and every query answers with copies (Record values
// whose maps and slices are fresh), never with pointers into the actor's
// state. A caller may change what it got back freely.
//
// The hub feeds the recorder on its hot path with fire-and-forget events
// (Created, Status, RetryAttempt): each is one actor Send, timestamped by the
// caller, and applied in mailbox order. Created stores a Clone of the message,
// so the caller may reuse its *protocol.Message afterwards. Events sent from
// one goroutine are applied in the order sent; call Created before handing
// the message to anyone who may report on it, or their events find no record
// (they are ignored and counted in Stats.Ignored).
//
// A caller that produces several events per mailbox turn gathers them in a
// Batch (NewBatch; Accepted, Status, RetryAttempt; Flush): one Send for the
// lot, applied in order, and no allocation (the recorder gives the batch back
// for reuse). A Batch belongs to the goroutine that fills it; see Batch for
// the contract.
//
// A recorder at its MaxRecords cap allocates nothing per record either: the
// record it evicts becomes the next one (recycle.go says why that is safe).
//
// MaxRecords evicts in O(1) (order.go): finished and other records sit in two
// lists in creation order, and the victim is a list's head.
//
// # Which goroutine runs what
//
//   - Hooks (OnRecordCreated, OnStatusUpdated, OnRetryAttempt,
//     OnRecordExpired, OnRecordDeleted) run on the hook runner, a second actor
//     fed by the recorder in the order the recorder applied its events. They
//     never run on the recorder's mailbox, so a hook may call any query of the
//     recorder (or the hub) without deadlock; a slow hook delays later hooks,
//     never the recorder. A hook that panics is recovered and counted
//     (Stats.HookPanics); later hooks still run.
//   - Filters (FilterRecords), named handlers (ExecuteHandler) and the
//     resender (RetryMessage, RetryFailedMessages) run on the caller's
//     goroutine, with a copy of the record.
//   - Retention clean-up runs on the recorder's mailbox, woken by its own
//     timer (time.AfterFunc sending a tick to the actor).
//
// # Concurrency
//
// Every method of *Recorder may be called from any goroutine. Event methods
// never block. Queries wait for the actor's answer with the caller's context
// and return ErrRecorderStopped once the recorder has stopped. A nil
// *Recorder, or one built with Config.Enabled false, costs nothing: event
// methods return at once and queries return ErrRecordingDisabled.
//
// Stop stops the retention timer, lets the recorder apply the events already
// sent, lets the hook runner run the hooks already queued, then stops both
// actors. It is idempotent.
package recorder
