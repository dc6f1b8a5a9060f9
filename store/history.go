package store

import (
	"encoding/binary"
	"fmt"
	"time"
)

// History on disk: group user, key be64(unix nanos when written, unique per
// store), value uvarint(len(id)), id, the message's JSON. Each append trims the user's oldest
// entries past HistoryPerUser or older than HistoryTTL; the writer's sweep
// trims users who receive nothing more.

// historyClock makes history keys: the time, moved on by a nanosecond when
// two appends share one. Writer goroutine only.
type historyClock struct{ last int64 }

func (c *historyClock) next() int64 {
	n := time.Now().UnixNano()
	if n <= c.last {
		n = c.last + 1
	}
	c.last = n
	return n
}

// AppendHistory implements History.
func (d *DB) AppendHistory(user string, e Entry) {
	if d.check("user", user) != nil || e.Msg == nil {
		return
	}
	data, err := encode(e.Msg, e.Data)
	if err != nil || d.w.room(int64(len(data))) != nil {
		return // written behind: a history entry is worth less than refusing the message
	}
	val := binary.AppendUvarint(make([]byte, 0, len(data)+len(e.Msg.ID)+2), uint64(len(e.Msg.ID)))
	val = append(append(val, e.Msg.ID...), data...)
	g := []byte(user)
	_ = d.w.enqueue(&op{bytes: int64(len(val)), apply: func(tx Tx) error {
		now := d.hist.next()
		if err := tx.Put(BucketHistory, g, be64(uint64(now)), val); err != nil {
			return err
		}
		return d.trimHistory(tx, g, now)
	}})
}

// trimHistory deletes user's entries past the count bound or the TTL.
func (d *DB) trimHistory(tx Tx, g []byte, now int64) error {
	var keys [][]byte
	expired := 0
	oldest := now - int64(d.cfg.HistoryTTL)
	err := tx.Scan(BucketHistory, g, nil, func(key, _ []byte) (bool, error) {
		if len(key) == 8 && int64(binary.BigEndian.Uint64(key)) < oldest {
			expired++
		}
		keys = append(keys, append([]byte(nil), key...))
		return true, nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys[:max(expired, len(keys)-d.cfg.HistoryPerUser)] {
		if err := tx.Delete(BucketHistory, g, k); err != nil {
			return err
		}
	}
	return nil
}

// ReadHistory implements History.
func (d *DB) ReadHistory(user, after string, n int, done func([]Entry, bool, error)) {
	if n <= 0 {
		n = d.cfg.HistoryPerUser
	}
	var (
		out     []Entry
		found   = after == ""
		readErr error
	)
	err := d.w.enqueue(&op{urgent: true,
		apply: func(tx Tx) error {
			oldest := time.Now().UnixNano() - int64(d.cfg.HistoryTTL)
			// errors stay in readErr: a bad entry must not fail the others' writes
			readErr = tx.Scan(BucketHistory, []byte(user), nil, func(key, val []byte) (bool, error) {
				if len(key) != 8 || int64(binary.BigEndian.Uint64(key)) < oldest {
					return true, nil
				}
				id, data, ok := splitHistory(val)
				if !ok {
					return false, fmt.Errorf("%w: history entry of %q", ErrCorrupt, user)
				}
				if !found {
					found = id == after
					return true, nil
				}
				data = append([]byte(nil), data...)
				m, err := decodeAt(BucketHistory, user, data)
				if err != nil {
					return false, err
				}
				out = append(out, Entry{Msg: m, Data: data})
				return len(out) < n, nil
			})
			return nil
		},
		after: func(err error) {
			if err == nil {
				err = readErr
			}
			if err != nil {
				out, found = nil, false
			}
			done(out, found, err)
		}})
	_ = err // after heard ErrClosed already
}

// splitHistory reads a history value: the id, then the message's JSON.
func splitHistory(val []byte) (id string, data []byte, ok bool) {
	n, k := binary.Uvarint(val)
	if k <= 0 || uint64(len(val)-k) < n {
		return "", nil, false
	}
	return string(val[k : k+int(n)]), val[k+int(n):], true
}

// sweepChunk is how many history entries one sweep visits: a sweep holds the
// writer (and every durable write behind it) for about a millisecond.
const sweepChunk = 4096

// sweepHistory deletes the entries older than the TTL among the next
// sweepChunk of the whole history, going on next time where it stopped, so
// that users who receive nothing more leave the disk (and the memory engine)
// too. The writer runs it every SweepInterval.
func (d *DB) sweepHistory() {
	_ = d.w.enqueue(&op{apply: func(tx Tx) error {
		oldest := time.Now().UnixNano() - int64(d.cfg.HistoryTTL)
		type gk struct{ g, k []byte }
		var old []gk
		seen := 0
		next := []byte(nil) // where the next sweep starts; nil: from the top
		err := tx.ScanAll(BucketHistory, d.sweepFrom, func(group, key, _ []byte) (bool, error) {
			if seen++; seen > sweepChunk {
				next = append([]byte{}, group...)
				return false, nil
			}
			if len(key) != 8 || int64(binary.BigEndian.Uint64(key)) < oldest {
				old = append(old, gk{append([]byte(nil), group...), append([]byte(nil), key...)})
			}
			return true, nil
		})
		if err != nil {
			return err
		}
		d.sweepFrom = next
		for _, x := range old {
			if err := tx.Delete(BucketHistory, x.g, x.k); err != nil {
				return err
			}
		}
		d.swept.Add(int64(len(old)))
		return nil
	}})
}
