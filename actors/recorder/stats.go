package recorder

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
// The eight statuses and nine reasons are counted in arrays (an event costs
// no map hashing); anything else a caller passed in a map beside them.
type counters struct {
	byStatus      [8]int
	byReason      [9]int
	otherStatuses map[Status]int
	otherReasons  map[Reason]int
	created       uint64
	evicted       uint64
	expired       uint64
	deleted       uint64
	attempts      uint64
	ignored       uint64
}

func newCounters() counters { return counters{} }

// add counts a record now held.
func (c *counters) add(rec *Record) { c.count(rec, 1) }

// drop uncounts a record no longer held (or about to change).
func (c *counters) drop(rec *Record) { c.count(rec, -1) }

func (c *counters) count(rec *Record, d int) {
	if i := statusIndex(rec.Status); i >= 0 {
		c.byStatus[i] += d
	} else {
		if c.otherStatuses == nil {
			c.otherStatuses = make(map[Status]int)
		}
		c.otherStatuses[rec.Status] += d
	}
	if rec.Reason == "" {
		return
	}
	if i := reasonIndex(rec.Reason); i >= 0 {
		c.byReason[i] += d
	} else {
		if c.otherReasons == nil {
			c.otherReasons = make(map[Reason]int)
		}
		c.otherReasons[rec.Reason] += d
	}
}

func (c *counters) snapshot() Stats {
	s := Stats{
		ByStatus:      make(map[Status]int, len(Statuses)+len(c.otherStatuses)),
		ByReason:      make(map[Reason]int, len(Reasons)+len(c.otherReasons)),
		Created:       c.created,
		Evicted:       c.evicted,
		Expired:       c.expired,
		Deleted:       c.deleted,
		RetryAttempts: c.attempts,
		Ignored:       c.ignored,
	}
	for i, st := range Statuses {
		s.ByStatus[st] = c.byStatus[i]
	}
	for i, r := range Reasons {
		s.ByReason[r] = c.byReason[i]
	}
	for st, n := range c.otherStatuses {
		if n != 0 {
			s.ByStatus[st] = n
		}
	}
	for r, n := range c.otherReasons {
		if n != 0 {
			s.ByReason[r] = n
		}
	}
	finished := 0
	for st, n := range s.ByStatus {
		s.Total += n
		if st.IsFinished() {
			finished += n
		}
	}
	if finished > 0 {
		s.SuccessRate = float64(s.ByStatus[StatusSuccess]) / float64(finished)
	}
	return s
}
