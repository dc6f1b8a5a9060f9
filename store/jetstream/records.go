package jetstream

import (
	"context"

	"github.com/go-wsc/go-wsc/store"
)

// Records: bucket <PREFIX>_RECORDS (TTL: Options.RecordTTL), key the record
// id, value the recorder's encoding. Written behind: PutRecord keeps the
// last encoder of each id and the sender publishes them every FlushInterval
// (a record changed five times meanwhile is encoded and written once).

// PutRecord implements store.Records.
func (st *Store) PutRecord(id string, encode func() ([]byte, error)) {
	if st.check("record id", id) != nil || encode == nil || st.s.room(0) != nil {
		st.recordErrors.Add(1)
		return
	}
	st.recMu.Lock()
	st.records[id] = encode
	st.recMu.Unlock()
}

// DeleteRecord implements store.Records.
func (st *Store) DeleteRecord(id string) {
	if st.check("record id", id) != nil {
		return
	}
	st.recMu.Lock()
	st.records[id] = nil
	st.recMu.Unlock()
}

// flushRecords publishes the records changed since the last flush (sender
// goroutine: it encodes them there).
func (st *Store) flushRecords() {
	st.recMu.Lock()
	recs := st.records
	if len(recs) > 0 {
		st.records = map[string]func() ([]byte, error){}
	}
	st.recMu.Unlock()
	for id, encode := range recs {
		key := token(id)
		if encode == nil {
			st.s.do(st.purge(st.n.recs, key, nil))
			continue
		}
		data, err := encode()
		if err != nil { // this record only
			st.recordErrors.Add(1)
			continue
		}
		st.s.do(put(st.n.recs, key, data, nil))
	}
}

// LoadRecords implements store.Records.
func (st *Store) LoadRecords(fn func(id string, data []byte) bool) error {
	return st.s.wait(func(ctx context.Context) error {
		st.flushRecords()
		st.s.reap(true)
		return st.readKV(ctx, st.n.recs, ">", func(key string, val []byte) (bool, error) {
			id, err := untoken(key)
			if err != nil {
				return false, err
			}
			return fn(id, append([]byte(nil), val...)), nil
		})
	})
}

var _ store.Records = (*Store)(nil)
