package store

// The records' old layout (format 1 of store/bolt): group "", key the record
// id, value its bytes. Open moves them into the log (reclog.go) once, in the
// transaction that moves the history, and deletes the old keys.

// convertRecords is Open's step.
func (d *DB) convertRecords(tx Tx) error {
	var ids [][]byte
	err := tx.Scan(BucketRecords, []byte{}, nil, func(key, val []byte) (bool, error) {
		ids = append(ids, append([]byte(nil), key...))
		d.rlog.add(string(key), nil, append([]byte(nil), val...), true) // val is the transaction's
		return true, nil
	})
	if err != nil || len(ids) == 0 {
		return err
	}
	for _, id := range ids {
		if err := tx.Delete(BucketRecords, []byte{}, id); err != nil {
			return err
		}
	}
	return d.rlog.flush(tx)
}
