package recorder

import "maps"

// Stats is a snapshot of the recorder's counters.
type Stats struct {
	// Total is the number of records held now.
	Total int
	// ByStatus counts the records held now by current status; every one of
	// the eight statuses has a key.
	ByStatus map[Status]int
	// ByReason counts the records held now by current reason; every one of
	// the nine reasons has a key (records without a reason are not counted).
	ByReason map[Reason]int
	// SuccessRate is success / finished over the records held now, from 0
	// to 1; 0 when none is finished.
	SuccessRate float64

	Created       uint64 // records ever created
	Evicted       uint64 // records removed to keep MaxRecords
	Expired       uint64 // records removed by the retention clean-up
	Deleted       uint64 // records removed by DeleteRecord
	RetryAttempts uint64 // attempts ever recorded
	// Ignored counts events that changed nothing: for an unknown id (never
	// created, or already evicted), with an invalid status, or a Created
	// with no id or an id already recorded.
	Ignored uint64
	// HookPanics counts hooks, handlers and resends that panicked and were
	// recovered.
	HookPanics uint64
}

// counters is the actor's side of Stats, kept up to date on every change.
type counters struct {
	byStatus map[Status]int
	byReason map[Reason]int
	created  uint64
	evicted  uint64
	expired  uint64
	deleted  uint64
	attempts uint64
	ignored  uint64
}

func newCounters() counters {
	c := counters{byStatus: make(map[Status]int, len(Statuses)), byReason: make(map[Reason]int, len(Reasons))}
	for _, s := range Statuses {
		c.byStatus[s] = 0
	}
	for _, r := range Reasons {
		c.byReason[r] = 0
	}
	return c
}

// add counts a record now held.
func (c *counters) add(rec *Record) {
	c.byStatus[rec.Status]++
	if rec.Reason != "" {
		c.byReason[rec.Reason]++
	}
}

// drop uncounts a record no longer held (or about to change).
func (c *counters) drop(rec *Record) {
	c.byStatus[rec.Status]--
	if rec.Reason != "" {
		c.byReason[rec.Reason]--
	}
}

func (c *counters) snapshot() Stats {
	s := Stats{
		ByStatus:      maps.Clone(c.byStatus),
		ByReason:      maps.Clone(c.byReason),
		Created:       c.created,
		Evicted:       c.evicted,
		Expired:       c.expired,
		Deleted:       c.deleted,
		RetryAttempts: c.attempts,
		Ignored:       c.ignored,
	}
	finished := 0
	for st, n := range c.byStatus {
		s.Total += n
		if st.IsFinished() {
			finished += n
		}
	}
	if finished > 0 {
		s.SuccessRate = float64(c.byStatus[StatusSuccess]) / float64(finished)
	}
	return s
}
