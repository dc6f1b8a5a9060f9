package main

import (
	"io"
	"os"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGCPercentPrecedence: the flag's default holds unless GOGC is in the
// environment; -gc-percent set on the command line or as WSC_GC_PERCENT
// wins over GOGC.
func TestGCPercentPrecedence(t *testing.T) {
	parse := func(args ...string) serverConfig {
		t.Helper()
		c, err := parseConfig(args, io.Discard)
		require.NoError(t, err)
		return c
	}
	t.Setenv("GOGC", "")
	c := parse()
	assert.Equal(t, defaultGCPercent, c.GCPercent)
	assert.True(t, c.GCPercentFromEnv, "GOGC is set (even empty, as the runtime reads it): it decides")

	c = parse("-gc-percent", "250")
	assert.Equal(t, 250, c.GCPercent)
	assert.False(t, c.GCPercentFromEnv, "the flag on the command line wins over GOGC")

	t.Setenv("WSC_GC_PERCENT", "300")
	c = parse()
	assert.Equal(t, 300, c.GCPercent)
	assert.False(t, c.GCPercentFromEnv, "WSC_GC_PERCENT wins over GOGC")
}

// TestGCPercentWithoutGOGC: with no GOGC, the default applies.
func TestGCPercentWithoutGOGC(t *testing.T) {
	unsetEnv(t, "GOGC")
	c, err := parseConfig(nil, io.Discard)
	require.NoError(t, err)
	assert.False(t, c.GCPercentFromEnv)
	assert.Equal(t, defaultGCPercent, c.GCPercent)
}

// TestApplyGCPercent: the runtime gets the percent, and the restore puts
// back what was there; when GOGC decides, nothing changes.
func TestApplyGCPercent(t *testing.T) {
	before := debug.SetGCPercent(123)
	defer debug.SetGCPercent(before)

	restore := applyGCPercent(serverConfig{GCPercent: 345})
	assert.Equal(t, 345, debug.SetGCPercent(345), "the server's percent is in force")
	restore()
	assert.Equal(t, 123, debug.SetGCPercent(123), "restored")

	restore = applyGCPercent(serverConfig{GCPercent: 345, GCPercentFromEnv: true})
	assert.Equal(t, 123, debug.SetGCPercent(123), "GOGC decides: untouched")
	restore()
	assert.Equal(t, 123, debug.SetGCPercent(123))
}

// unsetEnv removes key from the environment for the test (restored after).
func unsetEnv(t *testing.T, key string) {
	t.Helper()
	t.Setenv(key, "") // registers the restore
	require.NoError(t, os.Unsetenv(key))
}
