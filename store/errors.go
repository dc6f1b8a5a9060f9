package store

import "errors"

// Errors of package store, usable with errors.Is.
var (
	// ErrClosed: the store was closed; nothing more is accepted.
	ErrClosed = errors.New("wsc: store closed")
	// ErrBusy: the writer is too far behind (Config.MaxQueueBytes queued); the
	// caller should refuse the message (503) rather than wait.
	ErrBusy = errors.New("wsc: store busy")
	// ErrTooLarge: a message larger than the per-user byte bound can never be kept.
	ErrTooLarge = errors.New("wsc: message too large for the store")
	// ErrFull: the offline store is at its total bound and Config.RefuseWhenFull
	// says not to evict another user's messages.
	ErrFull = errors.New("wsc: offline store full")
	// ErrInvalid: an empty or oversized user, stream, ticket or id.
	ErrInvalid = errors.New("wsc: invalid store key")
	// ErrSeqNotLoaded: NextSeq on a stream that LoadSeq has not finished loading.
	ErrSeqNotLoaded = errors.New("wsc: sequence not loaded")
	// ErrSeqBusy: the stream used up its durable reservation faster than the
	// disk could extend it; the caller retries after a write completes.
	ErrSeqBusy = errors.New("wsc: sequence reservation pending")
	// ErrCorrupt: a value on disk that cannot be decoded.
	ErrCorrupt = errors.New("wsc: corrupt store data")
)
