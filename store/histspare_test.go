package store

import (
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Two sweeps in the transaction that takes history entries (lazy ops
// gather while the writer waits for company) leave the entries to it: the
// second sweep must not take the DB for idle (histLog.idle) and let the
// entries' slice go with its buffers.
func TestTwoSweepsInOneTransactionKeepItsHistory(t *testing.T) {
	db, err := Open(NewMemoryEngine(), Config{FlushInterval: time.Second, SweepInterval: time.Hour})
	require.NoError(t, err)
	defer db.Close()
	commits := db.Stats().Commits
	m := &protocol.Message{ID: "m1", Type: protocol.TypeText}
	db.AppendHistory("u", Entry{Msg: m, Data: []byte(`{"id":"m1","type":"text"}`)}) // the carrier op, lazy
	db.sweepHistory()
	db.sweepHistory()
	type read struct {
		es    []Entry
		found bool
		err   error
	}
	ch := make(chan read, 1)
	db.ReadHistory("u", "", 10, func(es []Entry, found bool, err error) { ch <- read{es, found, err} })
	r := <-ch
	require.NoError(t, r.err)
	require.Len(t, r.es, 1)
	assert.Equal(t, "m1", r.es[0].Msg.ID)
	assert.EqualValues(t, commits+1, db.Stats().Commits, "one transaction took the append, both sweeps and the read")
}
