package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/store/bolt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runToExit runs wsc-server (the test binary as main) with -dev-identity
// and args, expecting it to stop at start; it returns its exit status and
// its stderr.
func runToExit(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "WSC_TEST_MAIN="+strings.Join(append([]string{"-dev-identity", "-addr", "127.0.0.1:0"}, args...), " "))
	cmd.Dir = t.TempDir()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode(), stderr.String()
		}
		require.NoError(t, err)
		return 0, stderr.String()
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("wsc-server did not stop at start:\n%s", stderr.String())
		return 0, ""
	}
}

// TestDataDirFaultsStopTheServer: a data directory that cannot be opened
// stops the server before it listens, with exit status 1 and one line that
// names the directory, says what is wrong and what to do; never a panic.
// (Permissions are not among the cases: the tests may run as root.)
func TestDataDirFaultsStopTheServer(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	require.NoError(t, os.WriteFile(file, []byte("x"), 0o600))
	corrupt := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(corrupt, bolt.FileName), bytes.Repeat([]byte("not a database "), 10_000), 0o600))

	for _, tc := range []struct {
		name, dir string
		want      []string
	}{
		{"not a directory", filepath.Join(file, "data"), []string{"cannot open data directory", "not a directory", "-memory"}},
		{"corrupt file", corrupt, []string{"corrupt", "restore it from a backup"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stderr := runToExit(t, "-data-dir", tc.dir)
			assert.Equal(t, 1, code, stderr)
			assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %q", stderr)
			assert.True(t, strings.HasPrefix(stderr, "wsc-server: -data-dir: "), stderr)
			assert.Contains(t, stderr, tc.dir)
			for _, w := range tc.want {
				assert.Contains(t, stderr, w)
			}
			assert.NotContains(t, stderr, "panic")
			assert.NotContains(t, stderr, "listening", "stopped before listening")
		})
	}
}

// TestSecondServerOnTheSameDirIsRefused: a second wsc-server on a data
// directory in use stops at start (bbolt's file lock, waited for 1 s) with a
// clear line, and the first one goes on serving.
func TestSecondServerOnTheSameDirIsRefused(t *testing.T) {
	dir := t.TempDir()
	first := startProc(t, "-data-dir", dir)

	start := time.Now()
	code, stderr := runToExit(t, "-data-dir", dir)
	assert.Equal(t, 1, code, stderr)
	assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %q", stderr)
	assert.Contains(t, stderr, "in use by another process: "+dir)
	assert.Contains(t, stderr, "give this one its own -data-dir")
	assert.Less(t, time.Since(start), 15*time.Second)

	resp, err := http.Get(first.base + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the first server is unharmed")
	code, out := first.api("POST", "/api/send", `{"to":"away","content":"still stored"}`)
	assert.Equal(t, http.StatusNotFound, code, out)
	assert.Equal(t, true, out["stored"])
}

// TestFullDiskAnswers503: on a data directory that fills up (a 256 KiB
// tmpfs), /api/send answers 503 once a write fails, never 404-stored for a
// message that is not on disk; the server lives on, and after a SIGKILL
// and a restart the store holds exactly the messages it answered as stored.
// It needs root (mount).
func TestFullDiskAnswers503(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() }) // after the process is gone (cleanups run last first)
	p := startProc(t, "-data-dir", dir, "-disable-records")     // records would share the room: keep the count exact
	content := strings.Repeat("x", 4000)
	stored, refused := 0, 0
	for i := 0; i < 1000 && refused == 0; i++ {
		code, out := p.api("POST", "/api/send", fmt.Sprintf(`{"to":"u%d","content":%q}`, i%10, content))
		switch code {
		case http.StatusNotFound:
			require.Equal(t, true, out["stored"])
			stored++
		case http.StatusServiceUnavailable:
			refused++
		default:
			t.Fatalf("send %d: %d %v", i, code, out)
		}
	}
	require.Equal(t, 1, refused, "the disk filled up (stored %d)", stored)
	require.Positive(t, stored)
	t.Logf("%d messages of 4 KB stored before the disk was full", stored)
	resp, err := http.Get(p.base + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the server lives on")

	p.stop(syscall.SIGKILL)
	p = startProc(t, "-data-dir", dir, "-disable-records")
	assert.Contains(t, p.state, fmt.Sprintf(": %d offline messages", stored), "what was answered stored, and only that")
}
