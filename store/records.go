package store

// Records on disk: group "", key record id, value the recorder's encoding.
// Written behind: a crash loses at most the last FlushInterval of changes.

var noGroup = []byte{}

// recordGuess is what a queued record counts against MaxQueueBytes before
// it is encoded.
const recordGuess = 512

// PutRecord implements Records.
func (d *DB) PutRecord(id string, encode func() ([]byte, error)) {
	if d.check("record id", id) != nil || d.w.room(recordGuess) != nil {
		d.recordErrors.Add(1)
		return
	}
	_ = d.w.enqueue(&op{bytes: recordGuess, lazy: true, coalesce: "r" + id, apply: func(tx Tx) error {
		data, err := encode()
		if err != nil { // this record only: the others in the commit go on
			d.recordErrors.Add(1)
			return nil
		}
		return tx.Put(BucketRecords, noGroup, []byte(id), data)
	}})
}

// DeleteRecord implements Records.
func (d *DB) DeleteRecord(id string) {
	if d.check("record id", id) != nil {
		return
	}
	_ = d.w.enqueue(&op{lazy: true, coalesce: "r" + id, apply: func(tx Tx) error { return tx.Delete(BucketRecords, noGroup, []byte(id)) }})
}

// LoadRecords implements Records.
func (d *DB) LoadRecords(fn func(id string, data []byte) bool) error {
	return d.w.wait(func(tx Tx) error {
		return tx.ScanAll(BucketRecords, nil, func(_, key, val []byte) (bool, error) {
			return fn(string(key), append([]byte(nil), val...)), nil
		})
	})
}
