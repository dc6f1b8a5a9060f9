package recorder

import (
	"maps"
	"slices"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
)

// Record is the record of one message. Queries and hooks get copies: a Record
// a caller holds never changes under it, and changing it changes nothing in
// the recorder.
type Record struct {
	ID       string            // the message id
	Message  *protocol.Message // a copy of the message as accepted
	UserID   string            // target user, if any
	TicketID string            // target ticket group, if any
	NodeID   string            // the node that recorded it
	Status   Status
	// Reason and Error describe the latest transition: empty unless it was a
	// failure.
	Reason    Reason
	Error     string
	CreatedAt time.Time
	UpdatedAt time.Time // time of the latest change of any kind
	// History holds every status change, oldest first; the first entry is the
	// creation (From empty, To pending).
	History      []Transition
	Attempts     []Attempt // retry attempts, oldest first
	CustomFields map[string]any
	Tags         []string
	Extra        map[string]any

	// slot is the record's place in the recorder's eviction index, set on
	// the recorder's own records only (never on a copy).
	slot *slot
	// size is what the record counts against MaxRecordBytes, noted when it
	// is indexed: eviction need not read the message again (an evicted
	// record's message is cold in the cache: that read was 13% of the
	// recorder's CPU under BenchmarkSendToUserPID).
	size int64
	// pooled marks a record in the recorder's free list (recycle.go), so that
	// a second recycle of it is a no-op rather than two records sharing it.
	pooled bool
	// tag is what the store keeps with the record while it holds it
	// (StoreTag).
	tag any
}

// StoreTag is what the RecordStore holding rec keeps with it (SetStoreTag):
// store/recordstore keeps the record's place on disk there, found from the
// record itself rather than by a lookup by id. Nil on copies (Clone) and
// on records no store tagged.
func (rec *Record) StoreTag() any { return rec.tag }

// SetStoreTag is for a RecordStore: it keeps v with rec, a record it holds,
// and sets it back to nil when it lets rec go (Delete): the recorder reuses
// a deleted record (recycle.go).
func (rec *Record) SetStoreTag(v any) { rec.tag = v }

// Transition is one status change of a record.
type Transition struct {
	From   Status
	To     Status
	Reason Reason
	At     time.Time
}

// Attempt is one retry attempt: a resend by the ack tracker or by
// RetryMessage.
type Attempt struct {
	N   int // 1 for the first attempt
	At  time.Time
	Err string // empty when the resend itself did not fail
}

// Clone returns a deep copy of rec: the message, slices and maps are copied;
// values inside CustomFields, Extra and Message.Data are copied one level
// deep (the values themselves are shared).
func (rec *Record) Clone() Record {
	c := *rec
	c.slot, c.size, c.pooled, c.tag = nil, 0, false, nil
	if rec.Message != nil {
		c.Message = rec.Message.Clone()
	}
	c.History = slices.Clone(rec.History)
	c.Attempts = slices.Clone(rec.Attempts)
	c.Tags = slices.Clone(rec.Tags)
	c.CustomFields = maps.Clone(rec.CustomFields)
	c.Extra = maps.Clone(rec.Extra)
	return c
}

// HasTag reports whether rec carries tag.
func (rec *Record) HasTag(tag string) bool { return slices.Contains(rec.Tags, tag) }

// AttemptsLeft is how many attempts remain of a budget of maxRetry.
func (rec *Record) AttemptsLeft(maxRetry int) int { return max(maxRetry-len(rec.Attempts), 0) }

// hasTarget reports whether the record names someone to resend to.
func (rec *Record) hasTarget() bool { return rec.UserID != "" || rec.TicketID != "" }

// expired reports whether rec is past its retention at now.
func (rec *Record) expired(now time.Time, retention time.Duration) bool {
	return rec.Status == StatusExpired || now.Sub(rec.CreatedAt) >= retention
}

// transition moves rec to status to, appending to its history.
func (rec *Record) transition(to Status, reason Reason, errText string, at time.Time) Status {
	from := rec.Status
	rec.Status, rec.Reason, rec.Error = to, reason, errText
	rec.History = append(rec.History, Transition{From: from, To: to, Reason: reason, At: at})
	rec.touch(at)
	return from
}

// touch advances UpdatedAt to at; events timestamped by different goroutines
// may arrive slightly out of order, and UpdatedAt never goes back.
func (rec *Record) touch(at time.Time) {
	if at.After(rec.UpdatedAt) {
		rec.UpdatedAt = at
	}
}
