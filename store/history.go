package store

import (
	"encoding/binary"
	"fmt"
	"time"
)

// History on disk: group user, key be64(unix nanos when written, unique per
// store), value uvarint(len(id)), id, the message's JSON. Each append trims
// the user's oldest entries past HistoryPerUser or older than HistoryTTL,
// knowing the user's count (histcount.go), so it visits only what it deletes
// and one key more; the writer's sweep trims users who receive nothing more.

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
	_ = d.w.enqueue(&op{bytes: int64(len(val)), lazy: true, apply: func(tx Tx) error {
		g := []byte(user)
		n, err := d.historyLen(tx, user, g)
		if err != nil {
			return err
		}
		now := d.hist.next()
		if err := tx.Put(BucketHistory, g, be64(uint64(now)), val); err != nil {
			return err
		}
		n, err = d.trimHistory(tx, g, now, n+1)
		d.histLen.set(user, n)
		return err
	}})
}

// historyLen is how many entries user's history holds: the count kept, or
// one scan of the history to learn it. The scan also keeps the clock ahead
// of the user's newest key, so that new entries sort after the old even if
// the wall clock went back since they were written.
func (d *DB) historyLen(tx Tx, user string, g []byte) (int, error) {
	if n, ok := d.histLen.get(user); ok {
		return n, nil
	}
	n := 0
	err := tx.Scan(BucketHistory, g, nil, func(key, _ []byte) (bool, error) {
		n++
		if len(key) == 8 {
			d.hist.last = max(d.hist.last, int64(binary.BigEndian.Uint64(key)))
		}
		return true, nil
	})
	return n, err
}

// trimHistory deletes the oldest of user's n entries while they are past the
// count bound or the TTL, and returns how many are left. Keys are in time
// order, so what goes is always a prefix: the scan stops at the first entry
// that stays.
func (d *DB) trimHistory(tx Tx, g []byte, now int64, n int) (int, error) {
	excess := n - d.cfg.HistoryPerUser
	oldest := now - int64(d.cfg.HistoryTTL)
	keys := d.trimKeys[:0]
	err := tx.Scan(BucketHistory, g, nil, func(key, _ []byte) (bool, error) {
		expired := len(key) == 8 && int64(binary.BigEndian.Uint64(key)) < oldest
		if len(keys) >= excess && !expired {
			return false, nil
		}
		if len(keys) < cap(keys) { // reuse the buffers of earlier trims
			keys = keys[:len(keys)+1]
			keys[len(keys)-1] = append(keys[len(keys)-1][:0], key...)
		} else {
			keys = append(keys, append([]byte(nil), key...))
		}
		return true, nil
	})
	d.trimKeys = keys[:0]
	if err != nil {
		return n, err
	}
	for _, k := range keys {
		if err := tx.Delete(BucketHistory, g, k); err != nil {
			return n, err
		}
	}
	return n - len(keys), nil
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
	err := d.w.enqueue(&op{urgent: true, all: true, // after the appends queued before it
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
	_ = d.w.enqueue(&op{lazy: true, apply: func(tx Tx) error {
		oldest := time.Now().UnixNano() - int64(d.cfg.HistoryTTL)
		type gk struct{ g, k []byte }
		var old []gk
		seen := 0
		next := []byte(nil) // where the next sweep starts; nil: from the top
		d.histLen.rotate()  // users with no append for two sweeps leave the counts
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
			d.histLen.sub(string(x.g), 1)
		}
		d.swept.Add(int64(len(old)))
		return nil
	}})
}
