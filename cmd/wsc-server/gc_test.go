package main

import (
	"io"
	"os"
	"path/filepath"
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
	t.Setenv("GOMEMLIMIT", "") // no limit from the container here
	before := debug.SetGCPercent(123)
	defer debug.SetGCPercent(before)

	restore, limit := applyGC(serverConfig{GCPercent: 345})
	assert.Zero(t, limit)
	assert.Equal(t, 345, debug.SetGCPercent(345), "the server's percent is in force")
	restore()
	assert.Equal(t, 123, debug.SetGCPercent(123), "restored")

	restore, _ = applyGC(serverConfig{GCPercent: 345, GCPercentFromEnv: true})
	assert.Equal(t, 123, debug.SetGCPercent(123), "GOGC decides: untouched")
	restore()
	assert.Equal(t, 123, debug.SetGCPercent(123))
}

// TestMemoryLimitFromTheContainer: without GOMEMLIMIT, nine tenths of the
// cgroup's bound (v2 "max" or v1's near-2^63 number: none); GOMEMLIMIT wins.
func TestMemoryLimitFromTheContainer(t *testing.T) {
	dir := t.TempDir()
	v2, v1 := filepath.Join(dir, "memory.max"), filepath.Join(dir, "memory.limit_in_bytes")
	old := cgroupMemoryFiles
	cgroupMemoryFiles = []string{v2, v1}
	defer func() { cgroupMemoryFiles = old }()
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)
	unsetEnv(t, "GOMEMLIMIT")

	assert.Zero(t, containerMemory(), "no file: no bound")
	require.NoError(t, os.WriteFile(v1, []byte("9223372036854771712\n"), 0o600))
	assert.Zero(t, containerMemory(), "v1 without a bound")
	require.NoError(t, os.WriteFile(v1, []byte("1073741824\n"), 0o600))
	assert.Equal(t, int64(1<<30), containerMemory(), "v1")
	require.NoError(t, os.WriteFile(v2, []byte("max\n"), 0o600))
	assert.Zero(t, containerMemory(), "v2 first: max is no bound")
	require.NoError(t, os.WriteFile(v2, []byte("2147483648\n"), 0o600))
	assert.Equal(t, int64(2<<30), containerMemory(), "v2")

	restore, limit := applyGC(serverConfig{GCPercentFromEnv: true})
	assert.Equal(t, int64(2<<30)/10*9, limit)
	assert.Equal(t, limit, debug.SetMemoryLimit(-1), "in force")
	restore()
	assert.Equal(t, before, debug.SetMemoryLimit(-1), "restored")

	t.Setenv("GOMEMLIMIT", "1GiB")
	restore, limit = applyGC(serverConfig{GCPercentFromEnv: true})
	assert.Zero(t, limit, "GOMEMLIMIT decides")
	assert.Equal(t, before, debug.SetMemoryLimit(-1))
	restore()
}

// unsetEnv removes key from the environment for the test (restored after).
func unsetEnv(t *testing.T, key string) {
	t.Helper()
	t.Setenv(key, "") // registers the restore
	require.NoError(t, os.Unsetenv(key))
}
