package client

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewDefaultConfig(t *testing.T) {
	c := NewDefaultConfig()
	assert.Equal(t, 10*time.Second, c.WriteWait)
	assert.EqualValues(t, 64<<10, c.MaxMessageSize)
	assert.Equal(t, 2*time.Second, c.MinRecTime)
	assert.Equal(t, 60*time.Second, c.MaxRecTime)
	assert.Equal(t, 1.5, c.RecFactor)
	assert.Equal(t, 256, c.MessageBufferSize)
	require.NotNil(t, c.AutoReconnect)
	assert.True(t, *c.AutoReconnect)
}

func TestConfigBuilderChains(t *testing.T) {
	c := NewDefaultConfig().
		WithWriteWait(time.Second).
		WithMaxMessageSize(1 << 20).
		WithMinRecTime(100 * time.Millisecond).
		WithMaxRecTime(5 * time.Second).
		WithRecFactor(2).
		WithMessageBufferSize(10).
		WithAutoReconnect(false)
	s := c.resolve()
	assert.Equal(t, settings{
		writeWait:      time.Second,
		maxMessageSize: 1 << 20,
		backoff:        backoff{min: 100 * time.Millisecond, max: 5 * time.Second, factor: 2},
		bufferSize:     10,
		autoReconnect:  false,
	}, s)
}

func TestZeroConfigMeansDefaults(t *testing.T) {
	want := NewDefaultConfig().resolve()
	for name, c := range map[string]*Config{
		"nil":      nil,
		"zero":     {},
		"negative": {WriteWait: -1, MinRecTime: -1, MaxRecTime: -1, RecFactor: -1, MessageBufferSize: -1},
	} {
		assert.Equal(t, want, c.resolve(), name)
	}
	// go-wsc users wrote Config literals without AutoReconnect: they reconnect.
	assert.True(t, (&Config{WriteWait: time.Second}).resolve().autoReconnect)
	assert.Zero(t, (&Config{MaxMessageSize: -1}).resolve().maxMessageSize, "negative: no limit")
	assert.Equal(t, time.Minute, (&Config{MinRecTime: time.Minute, MaxRecTime: time.Second}).resolve().backoff.max,
		"max below min is raised to min")
}

func TestSetConfigCopies(t *testing.T) {
	c := New("ws://127.0.0.1:1/")
	cfg := NewDefaultConfig().WithMessageBufferSize(1)
	c.SetConfig(cfg)
	cfg.WithMessageBufferSize(100) // no effect without another SetConfig
	require.NoError(t, c.SendTextMessage("a"))
	require.ErrorIs(t, c.SendTextMessage("b"), ErrBufferFull)
	c.SetConfig(nil)
	require.NoError(t, c.SendTextMessage("b"))
	c.Close()
}
