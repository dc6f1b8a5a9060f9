package store

import (
	"github.com/go-wsc/go-wsc/protocol"
)

// Done hears whether one write is durable (nil) or failed. It is called once,
// on the store's writer goroutine, after the commit that held the write, in
// the order the writes were made. It must not block and must not call the
// store: it hands the result on (an actor Send, a buffered channel).
//
// Passing a nil Done means "write behind": the write joins the next commit,
// which may wait up to Config.FlushInterval for company.
type Done func(err error)

// Store is what the hub keeps across a restart. The hub does not know which
// engine is under it: DB over store/bolt on disk, DB over the memory engine,
// or (later) JetStream.
//
// Concurrency: one goroutine, the owner (the hub actor's mailbox), calls the
// Offline and Sequences methods and Close; the others only queue work and may
// be called from any goroutine (doc.go). Reads answer from memory or come
// back through a callback; writes never wait for a disk. Load* and Close may
// block: they are for start-up and shutdown.
type Store interface {
	Offline
	Pending
	Sequences
	History
	Tickets
	Records
	// Stats reports the store's counters (safe from any goroutine).
	Stats() Stats
	// Close writes what is queued (and the exact last number of every loaded
	// sequence), stops the writer and closes the engine. Idempotent.
	Close() error
}

// Offline is the offline store: messages for users with no connection,
// ordered per user, bounded per user and in all, by count and by bytes. The
// messages are kept in memory too, so that reading is not a disk read: the
// bounds keep that memory bounded.
type Offline interface {
	// PutOffline keeps e for user. It returns at once the messages evicted to
	// stay within the bounds (oldest first; their deletion is part of the same
	// write) or an error (ErrTooLarge, ErrFull, ErrBusy, ErrClosed, ErrInvalid;
	// then nothing is kept and done is never called). done hears when e is on
	// disk; on an error there, e is still in memory: the caller removes it.
	// A message already kept for user (same id) is kept once; done then hears
	// when that earlier write is durable.
	PutOffline(user string, e Entry, done Done) (dropped []Dropped, err error)
	// PeekOffline returns up to n of user's messages that come after the one
	// with id after ("": from the oldest), oldest first, without removing them.
	// An after that is no longer kept reads from the oldest.
	PeekOffline(user, after string, n int) []Entry
	// RemoveOffline deletes user's messages with these ids (delivered, or
	// refused by the disk); ids not kept are ignored.
	RemoveOffline(user string, ids []string, done Done)
	// OfflineLen is user's backlog ("" : every user's) in messages and bytes.
	OfflineLen(user string) (msgs int, bytes int64)
}

// Entry is a message and its JSON as protocol.Encode writes it (the hub's
// frame bytes: passing them saves an encoding; nil Data: the store encodes).
// The store keeps Data as given (the offline store, the history until its
// commit): it must not change afterwards.
type Entry struct {
	Msg  *protocol.Message
	Data []byte
}

// Dropped is a message the offline store evicted to stay within its bounds.
type Dropped struct {
	User string
	Msg  *protocol.Message
}

// Pending is the durable side of the ack tracker: messages handed to a user's
// connections and waiting for an ack. The tracker keeps them in memory; the
// store only makes them survive a restart.
type Pending interface {
	// PutPending writes (or rewrites, with a new attempt count) p. With a
	// non-nil done the hub answers "accepted" only once done hears nil.
	PutPending(p PendingAck, done Done) error
	// RemovePending deletes the pending message id of user (acked, or given up
	// to the offline path: put it there first, so a crash between the two
	// leaves it in both, never in neither; writes are durable in order).
	RemovePending(user, id string, done Done)
	// LoadPending calls fn for every pending message on disk (start-up).
	LoadPending(fn func(PendingAck) bool) error
}

// PendingAck is a message waiting for an ack.
type PendingAck struct {
	User string
	Entry
	Attempt int // copies sent so far beyond the first
}

// Sequences hands out per-stream numbers (a user's seq_no, a ticket's) that
// never go backwards across restarts: the store reserves blocks of numbers on
// disk ahead of use, and writes the exact last number on Evict and Close.
type Sequences interface {
	// LoadSeq reads stream's state from disk and reserves a first block; done
	// hears it once NextSeq may be called. Loading a loaded stream is cheap.
	LoadSeq(stream string, done func(SeqState, error))
	// NextSeq returns stream's next number: ErrSeqNotLoaded before LoadSeq's
	// done, ErrSeqBusy in the rare case the reservation fell behind.
	NextSeq(stream string) (int64, error)
	// EvictSeq forgets an idle stream in memory, writing its exact last number
	// so that the next load goes on without a gap.
	EvictSeq(stream string)
}

// SeqState is what LoadSeq found.
type SeqState struct {
	// Last is the number after which the stream goes on.
	Last int64
	// Exact is false when the last run did not stop cleanly: numbers up to
	// Last may have been skipped (a gap with nothing lost), and a client can
	// be told so.
	Exact bool
}

// History keeps the last messages handed to each user, for resume
// (Last-Event-ID), bounded per user by count and by age. Written behind.
type History interface {
	// AppendHistory adds e to user's history (written behind).
	AppendHistory(user string, e Entry)
	// ReadHistory calls done with up to n of user's messages after the one
	// with id after, oldest first, none older than the TTL. found is false
	// when after is not in the history (too old, or unknown): the client's
	// position is lost and the caller falls back to the offline store.
	ReadHistory(user, after string, n int, done func(msgs []Entry, found bool, err error))
}

// Tickets keeps ticket memberships.
type Tickets interface {
	JoinTicket(ticket, user string, done Done)
	LeaveTicket(ticket, user string, done Done)
	// LoadTickets calls fn for every membership on disk (start-up).
	LoadTickets(fn func(ticket, user string) bool) error
}

// Records keeps the recorder's records, written behind.
type Records interface {
	// PutRecord writes the record id as encode gives it. encode runs later,
	// on the writer goroutine (so it must read only what nobody changes: a
	// copy), and only for the last PutRecord of an id in a commit: a record
	// that changes five times in 50 ms is encoded and written once. The
	// bytes encode returns are kept until written: a fresh buffer each time.
	PutRecord(id string, encode func() ([]byte, error))
	DeleteRecord(id string)
	// LoadRecords calls fn for every record on disk (start-up).
	LoadRecords(fn func(id string, data []byte) bool) error
}

// Stats are the store's counters.
type Stats struct {
	Commits      int64 // engine transactions
	Ops          int64 // writes and reads carried by them
	Failed       int64 // ops whose commit failed
	Queued       int64 // ops waiting for the writer now
	QueuedBytes  int64
	OfflineMsgs  int
	OfflineBytes int64
	HistorySwept int64 // expired history entries deleted by the sweep
	// HistoryCapped counts history entries deleted to keep the history
	// within Config.HistoryMaxBytes (before their TTL).
	HistoryCapped int64
	RecordErrors  int64 // records whose encode failed (kept in memory only)
}
