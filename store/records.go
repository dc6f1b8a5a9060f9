package store

import "slices"

// Records on disk: a log of segments (reclog.go). Written behind: a crash
// loses at most the last FlushInterval of changes.

// recordGuess is what a queued record counts against MaxQueueBytes before
// it is encoded.
const recordGuess = 512

// PutRecord implements Records.
func (d *DB) PutRecord(id string, encode func() ([]byte, error)) {
	if d.check("record id", id) != nil {
		d.recordErrors.Add(1)
		return
	}
	err := d.w.enqueue(&op{bytes: recordGuess, lazy: true, bounded: true, coalesce: id, apply: func(Tx) error {
		data, err := encode()
		if err != nil { // this record only: the others in the commit go on
			d.recordErrors.Add(1)
			return nil
		}
		d.rlog.add(id, data, true)
		return nil
	}})
	if err != nil {
		d.recordErrors.Add(1)
	}
}

// DeleteRecord implements Records.
func (d *DB) DeleteRecord(id string) {
	if d.check("record id", id) != nil {
		return
	}
	_ = d.w.enqueue(&op{lazy: true, coalesce: id, apply: func(Tx) error {
		d.rlog.add(id, nil, false)
		return nil
	}})
}

// LoadRecords implements Records: the log read in order, the records it
// leaves handed out in id order.
func (d *DB) LoadRecords(fn func(id string, data []byte) bool) error {
	return d.w.wait(func(tx Tx) error {
		if err := d.rlog.flush(tx); err != nil { // the records queued before it
			return err
		}
		recs := map[string][]byte{}
		err := scanRecords(tx, func(uint64, bool, []byte) {}, func(id, data, _ []byte, put bool) {
			if put {
				recs[string(id)] = data // the transaction's bytes, copied below
			} else {
				delete(recs, string(id))
			}
		})
		if err != nil {
			return err
		}
		ids := make([]string, 0, len(recs))
		for id := range recs {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			if !fn(id, append([]byte(nil), recs[id]...)) {
				break
			}
		}
		return nil
	})
}
