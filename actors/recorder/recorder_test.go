package recorder

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDisabledRecorderCostsNothing(t *testing.T) {
	disabled, err := New(nil, Config{MaxRecords: 5})
	require.NoError(t, err)
	for name, r := range map[string]*Recorder{"nil": nil, "disabled": disabled} {
		t.Run(name, func(t *testing.T) {
			assert.False(t, r.Enabled())
			assert.Nil(t, r.PID())
			r.Created(message("m-1"), "u1", "")
			r.Status("m-1", StatusSuccess, "", "")
			r.RetryAttempt("m-1", 1, "")
			r.OnRecordCreated(func(Record) { t.Error("hook called") })
			r.AddFilter("f", func(Record) bool { return true })
			r.SetHandler("h", func(Record) error { return nil })
			r.SetResender(func(context.Context, Record) error { return nil })

			c := ctx(t)
			_, err := r.GetRecord(c, "m-1")
			require.ErrorIs(t, err, ErrRecordingDisabled)
			_, err = r.Stats(c)
			require.ErrorIs(t, err, ErrRecordingDisabled)
			_, err = r.Query(c, Query{})
			require.ErrorIs(t, err, ErrRecordingDisabled)
			_, err = r.FilterRecords(c, "f")
			require.ErrorIs(t, err, ErrRecordingDisabled)
			require.ErrorIs(t, r.ExecuteHandler(c, "h", "m-1"), ErrRecordingDisabled)
			require.ErrorIs(t, r.SetCustomField(c, "m-1", "k", 1), ErrRecordingDisabled)
			assert.Nil(t, r.RetryFailedMessages(c, 10))
			require.NoError(t, r.Stop(c))
		})
	}
	msg := message("m-1")
	allocs := testing.AllocsPerRun(100, func() {
		disabled.Created(msg, "u1", "")
		disabled.Status("m-1", StatusSuccess, "", "")
	})
	assert.Zero(t, allocs)
}

func TestConfig(t *testing.T) {
	cfg, err := Config{}.withDefaults()
	require.NoError(t, err)
	assert.Equal(t, DefaultMaxRecords, cfg.MaxRecords)
	assert.Equal(t, DefaultRetention, cfg.Retention)
	assert.Equal(t, time.Hour, cfg.CleanupInterval)
	assert.Equal(t, DefaultMaxRetry, cfg.MaxRetry)
	assert.IsType(t, &MemoryStore{}, cfg.Store)

	cfg, err = Config{Retention: 10 * time.Second}.withDefaults()
	require.NoError(t, err)
	assert.Equal(t, time.Second, cfg.CleanupInterval, "at least one second")

	for _, bad := range []Config{
		{Enabled: true, MaxRecords: -1},
		{Enabled: true, Retention: -time.Second},
		{Enabled: true, CleanupInterval: -time.Second},
		{Enabled: true, MaxRetry: -1},
	} {
		_, err := New(newSystem(), bad)
		require.ErrorIs(t, err, ErrInvalidConfig)
	}
	_, err = New(nil, Config{Enabled: true})
	require.ErrorIs(t, err, ErrNoActorSystem)
}

func TestStop(t *testing.T) {
	system := newSystem()
	defer system.Shutdown()
	r, err := New(system, Config{Enabled: true})
	require.NoError(t, err)
	created(r, 10)
	c := ctx(t)

	require.NoError(t, r.Stop(c))
	require.NoError(t, r.Stop(c), "Stop is idempotent")
	_, err = r.GetRecord(c, "m-1")
	require.ErrorIs(t, err, ErrRecorderStopped)
	r.Created(message("late"), "u1", "") // dropped, no panic
	r.Status("m-1", StatusSuccess, "", "")

	// A hook blocked on a query while the recorder stops gets an error, not a hang.
	r2, err := New(system, Config{Enabled: true})
	require.NoError(t, err)
	errs := make(chan error, 1)
	entered := make(chan struct{})
	r2.OnRecordCreated(func(rec Record) {
		close(entered)
		<-r2.done
		_, err := r2.GetRecord(context.Background(), rec.ID)
		errs <- err
	})
	r2.Created(message("m-1"), "u1", "")
	recv(t, entered)
	require.NoError(t, r2.Stop(c))
	require.ErrorIs(t, <-errs, ErrRecorderStopped)
}

func TestStopHonoursContext(t *testing.T) {
	system := newSystem()
	defer system.Shutdown()
	r, err := New(system, Config{Enabled: true})
	require.NoError(t, err)
	release := make(chan struct{})
	r.OnRecordCreated(func(Record) { <-release })
	r.Created(message("m-1"), "u1", "")

	short, cancel := context.WithTimeout(ctx(t), 20*time.Millisecond)
	defer cancel()
	require.ErrorIs(t, r.Stop(short), context.DeadlineExceeded)
	close(release)
	require.NoError(t, r.Stop(ctx(t)))
}

func TestQueryHonoursContext(t *testing.T) {
	r := newRecorder(t, Config{})
	c, cancel := context.WithCancel(ctx(t))
	cancel()
	_, err := r.GetRecord(c, "m-1")
	require.ErrorIs(t, err, context.Canceled)
}
