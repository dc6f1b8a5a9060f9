package recorder

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHookMayCallTheRecorder(t *testing.T) {
	r := newRecorder(t, Config{})
	type seen struct {
		rec   Record
		total int
		err   error
	}
	got := make(chan seen, 4)
	look := func(id string) {
		rec, err := r.GetRecord(ctx(t), id)
		if err != nil {
			got <- seen{err: err}
			return
		}
		st, err := r.Stats(ctx(t))
		got <- seen{rec: rec, total: st.Total, err: err}
	}
	r.OnRecordCreated(func(rec Record) { look(rec.ID) })
	r.OnStatusUpdated(func(rec Record, _, _ Status) { look(rec.ID) })

	r.Created(message("m-1"), "u1", "")
	r.Status("m-1", StatusSuccess, "", "")

	for range 2 {
		s := recv(t, got)
		require.NoError(t, s.err)
		assert.Equal(t, "m-1", s.rec.ID)
		assert.Equal(t, 1, s.total)
	}
}

func TestPanickingHookBreaksNothing(t *testing.T) {
	r := newRecorder(t, Config{})
	after := make(chan string, 4)
	r.OnRecordCreated(func(Record) { panic("boom") })
	r.OnRecordCreated(func(rec Record) { after <- "created " + rec.ID })
	r.OnStatusUpdated(func(rec Record, _, new Status) {
		if rec.ID == "m-1" {
			panic(nil)
		}
		after <- "status " + rec.ID + " " + string(new)
	})

	r.Created(message("m-1"), "u1", "")
	r.Status("m-1", StatusSending, "", "")
	r.Created(message("m-2"), "u1", "")
	r.Status("m-2", StatusSuccess, "", "")

	assert.Equal(t, "created m-1", recv(t, after))
	assert.Equal(t, "created m-2", recv(t, after))
	assert.Equal(t, "status m-2 success", recv(t, after))
	rec, err := r.GetRecord(ctx(t), "m-1")
	require.NoError(t, err)
	assert.Equal(t, StatusSending, rec.Status)
	st, err := r.Stats(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, uint64(3), st.HookPanics)
	assert.Equal(t, 2, st.Total)
}

func TestEachHookGetsItsOwnCopy(t *testing.T) {
	r := newRecorder(t, Config{})
	got := make(chan string, 2)
	r.OnRecordCreated(func(rec Record) {
		rec.Message.Content = "scribbled"
		rec.History[0].To = StatusFailed
	})
	r.OnRecordCreated(func(rec Record) { got <- rec.Message.Content + " " + string(rec.History[0].To) })

	r.Created(message("m-1"), "u1", "")
	assert.Equal(t, "hello m-1 pending", recv(t, got))
	rec, err := r.GetRecord(ctx(t), "m-1")
	require.NoError(t, err)
	assert.Equal(t, "hello m-1", rec.Message.Content)
}

func TestHooksQueuedBeforeStopAllRun(t *testing.T) {
	system := newSystem()
	defer system.Shutdown()
	r, err := New(system, Config{Enabled: true})
	require.NoError(t, err)
	var n int // written by the hook runner only; read after Stop
	release := make(chan struct{})
	r.OnRecordCreated(func(Record) {
		<-release
		n++
	})
	created(r, 100)
	close(release)

	require.NoError(t, r.Stop(ctx(t)))
	assert.Equal(t, 100, n)
}
