package jetstream

import (
	"context"
	"fmt"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	"github.com/nats-io/nats.go"
)

// History: stream <PREFIX>_HISTORY, subject <prefix>.hist.<user>, the
// message's JSON as the payload; JetStream keeps HistoryPerUser per user
// (MaxMsgsPerSubject) for HistoryTTL (MaxAge), so there is no sweep.

// AppendHistory implements store.History (written behind).
func (st *Store) AppendHistory(user string, e store.Entry) {
	if st.check("user", user) != nil || e.Msg == nil {
		return
	}
	data := e.Data
	if data == nil {
		var err error
		if data, err = protocol.Encode(e.Msg); err != nil {
			return
		}
	}
	if st.s.room(int64(len(data))) != nil {
		return // written behind: a history entry is worth less than refusing the message
	}
	_ = st.s.enqueue(&op{msg: &nats.Msg{Subject: st.n.histSubj + token(user), Data: data}, stream: st.n.histStream, bytes: int64(len(data))})
}

// ReadHistory implements store.History. It reads after every write queued
// before it; done runs on a goroutine of the store.
func (st *Store) ReadHistory(user, after string, n int, done func([]store.Entry, bool, error)) {
	if err := st.check("user", user); err != nil {
		done(nil, false, err)
		return
	}
	if n <= 0 {
		n = st.opts.HistoryPerUser
	}
	_ = st.s.enqueue(&op{read: func(ctx context.Context) {
		var out []store.Entry
		found := after == ""
		oldest := time.Now().Add(-st.opts.HistoryTTL)
		_, err := st.readSubject(ctx, st.hist, st.n.histSubj+token(user), func(m rawMsg) error {
			if len(out) >= n || m.at.Before(oldest) { // expired, not yet trimmed
				return nil
			}
			data := append([]byte(nil), m.data...)
			msg, err := protocol.Decode(data)
			if err != nil {
				return fmt.Errorf("%w: history entry of %q: %v", store.ErrCorrupt, user, err)
			}
			if !found {
				found = msg.ID == after
				return nil
			}
			out = append(out, store.Entry{Msg: msg, Data: data})
			return nil
		})
		if err != nil {
			out, found = nil, false
		}
		done(out, found, err)
	}, after: func(err error) {
		if err != nil { // closed: the read never ran
			done(nil, false, err)
		}
	}})
}
