package store

// Records on disk: group "", key record id, value the recorder's encoding.
// Written behind: a crash loses at most the last FlushInterval of changes.

var noGroup = []byte{}

// PutRecord implements Records.
func (d *DB) PutRecord(id string, data []byte) {
	if d.check("record id", id) != nil || d.w.room(int64(len(data))) != nil {
		return
	}
	data = append([]byte(nil), data...) // the caller may reuse its buffer
	_ = d.w.enqueue(&op{bytes: int64(len(data)), apply: func(tx Tx) error {
		return tx.Put(BucketRecords, noGroup, []byte(id), data)
	}})
}

// DeleteRecord implements Records.
func (d *DB) DeleteRecord(id string) {
	if d.check("record id", id) != nil {
		return
	}
	_ = d.w.enqueue(&op{apply: func(tx Tx) error { return tx.Delete(BucketRecords, noGroup, []byte(id)) }})
}

// LoadRecords implements Records.
func (d *DB) LoadRecords(fn func(id string, data []byte) bool) error {
	return d.w.wait(func(tx Tx) error {
		return tx.ScanAll(BucketRecords, nil, func(_, key, val []byte) (bool, error) {
			return fn(string(key), append([]byte(nil), val...)), nil
		})
	})
}
