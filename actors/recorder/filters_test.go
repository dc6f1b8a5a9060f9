package recorder

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFilters(t *testing.T) {
	r := newRecorder(t, Config{})
	created(r, 4)
	r.Status("m-1", StatusSuccess, "", "")
	r.Status("m-3", StatusSuccess, "", "")
	c := ctx(t)

	r.AddFilter("done", func(rec Record) bool { return rec.Status == StatusSuccess })
	r.AddFilter("asks", func(rec Record) bool {
		// A filter runs off the mailbox: it may query the recorder.
		got, err := r.GetRecord(c, rec.ID)
		return err == nil && got.ID == "m-0"
	})
	recs, err := r.FilterRecords(c, "done")
	require.NoError(t, err)
	assert.Equal(t, []string{"m-1", "m-3"}, ids(recs))
	recs, err = r.FilterRecords(c, "asks")
	require.NoError(t, err)
	assert.Equal(t, []string{"m-0"}, ids(recs))

	r.AddFilter("done", nil)
	_, err = r.FilterRecords(c, "done")
	require.ErrorIs(t, err, ErrFilterNotFound)

	r.AddFilter("bad", func(Record) bool { panic("boom") })
	_, err = r.FilterRecords(c, "bad")
	require.ErrorIs(t, err, ErrHandlerPanic)
}

func TestHandlers(t *testing.T) {
	r := newRecorder(t, Config{})
	created(r, 1)
	c := ctx(t)
	errAudit := errors.New("audit failed")
	seen := make(chan string, 1)
	r.SetHandler("audit", func(rec Record) error {
		seen <- rec.ID
		return errAudit
	})
	r.SetHandler("ok", func(rec Record) error {
		_, err := r.Stats(c) // runs on the caller's goroutine: no deadlock
		return err
	})
	r.SetHandler("bad", func(Record) error { panic("boom") })

	require.ErrorIs(t, r.ExecuteHandler(c, "audit", "m-0"), errAudit)
	assert.Equal(t, "m-0", recv(t, seen))
	require.NoError(t, r.ExecuteHandler(c, "ok", "m-0"))
	require.ErrorIs(t, r.ExecuteHandler(c, "nope", "m-0"), ErrHandlerNotFound)
	require.ErrorIs(t, r.ExecuteHandler(c, "ok", "nope"), ErrRecordNotFound)
	require.ErrorIs(t, r.ExecuteHandler(c, "bad", "m-0"), ErrHandlerPanic)

	r.SetHandler("ok", nil)
	require.ErrorIs(t, r.ExecuteHandler(c, "ok", "m-0"), ErrHandlerNotFound)
	st, err := r.Stats(c)
	require.NoError(t, err)
	assert.Equal(t, uint64(1), st.HookPanics)
}
