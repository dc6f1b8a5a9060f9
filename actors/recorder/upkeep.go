package recorder

import (
	"cmp"
	"slices"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
)

// Upkeep: MaxRecords and MaxRecordBytes eviction and retention clean-up.

// messageSize is what a record of m counts against MaxRecordBytes: the
// message's content and data, and the record itself.
func messageSize(m *protocol.Message) int64 {
	n := int64(480)
	if m != nil {
		n += int64(len(m.Content) + len(m.RawData()))
	}
	return n
}

// evictOne removes the oldest finished record, or the oldest record when none
// is finished; it reports whether there was one.
func (a *recorderActor) evictOne() bool {
	rec, ok := a.order.victim()
	if !ok {
		return false
	}
	a.drop(rec)
	a.stats.evicted++
	return true
}

// cleanup removes the records created more than Retention before now, oldest
// first: each gets the expired hook, then the deleted hook.
func (a *recorderActor) cleanup(now time.Time) {
	var old []*Record
	a.store.Range(func(rec *Record) bool {
		if now.Sub(rec.CreatedAt) >= a.cfg.Retention {
			old = append(old, rec)
		}
		return true
	})
	slices.SortFunc(old, func(x, y *Record) int {
		return cmp.Compare(a.order.seq(x), a.order.seq(y))
	})
	for _, rec := range old {
		if a.hookCount[hookExpired] > 0 {
			a.emit(hookEvent{kind: hookExpired, rec: rec.Clone()})
		}
		a.remove(rec.ID)
		a.stats.expired++
	}
}

// remove deletes one record from the store, the order and the counters, and
// fires the deleted hook.
func (a *recorderActor) remove(id string) {
	if rec, ok := a.store.Get(id); ok {
		a.drop(rec)
		return
	}
	a.store.Delete(id)
	if a.hookCount[hookDeleted] > 0 {
		a.emit(hookEvent{kind: hookDeleted, id: id})
	}
}

// drop is remove for a record the actor holds.
func (a *recorderActor) drop(rec *Record) {
	id := rec.ID
	a.bytes -= rec.size
	a.stats.drop(rec)
	if a.held != nil {
		a.held.DeleteHeld(rec)
	} else {
		a.store.Delete(id)
	}
	a.order.remove(rec)
	if a.hookCount[hookDeleted] > 0 {
		a.emit(hookEvent{kind: hookDeleted, id: id})
	}
	a.recycle(rec) // last: the store and the order hold it no more
}
