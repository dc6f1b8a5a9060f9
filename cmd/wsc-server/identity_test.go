package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRefusesToStartWithoutIdentity: with neither a token setting nor
// -dev-identity the server does not start, and says why in one line.
func TestRefusesToStartWithoutIdentity(t *testing.T) {
	err := run(context.Background(), []string{"-memory", "-addr", "127.0.0.1:0"}, io.Discard)
	require.ErrorIs(t, err, errNoIdentity)
	assert.NotContains(t, err.Error(), "\n", "one line")
	assert.Contains(t, err.Error(), "-dev-identity")

	_, err = newServer(serverConfig{})
	require.ErrorIs(t, err, errNoIdentity, "no server is built open by accident either")
}

// TestDevIdentityIsAnnounced: -dev-identity (or WSC_DEV_IDENTITY) starts the
// server, which prints that it is a development mode.
func TestDevIdentityIsAnnounced(t *testing.T) {
	for name, tc := range map[string]struct {
		args []string
		env  map[string]string
	}{
		"flag": {[]string{"-dev-identity"}, nil},
		"env":  {nil, map[string]string{"WSC_DEV_IDENTITY": "true"}},
	} {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // run still starts, logs, then shuts down at once
			done := make(chan error, 1)
			setenv(t, tc.env)
			go func() { done <- run(ctx, append(tc.args, "-memory", "-addr", "127.0.0.1:0"), &out) }()
			select {
			case err := <-done:
				require.NoError(t, err)
			case <-time.After(15 * time.Second):
				t.Fatal("run did not return")
			}
			assert.Contains(t, out.String(), "DEVELOPMENT MODE")
			assert.True(t, strings.Contains(out.String(), "?user_id="), out.String())
		})
	}
}

// TestBinaryRefusesToStartInOneLine: the process itself, started with
// neither a token setting nor -dev-identity, exits with status 1 and one
// line on stderr that says what to set.
func TestBinaryRefusesToStartInOneLine(t *testing.T) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "WSC_TEST_MAIN=-memory -addr 127.0.0.1:0")
	var stderr, stdout bytes.Buffer
	cmd.Stderr, cmd.Stdout = &stderr, &stdout
	err := cmd.Run()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, 1, exit.ExitCode())
	assert.Empty(t, stdout.String())
	assert.Equal(t, "wsc-server: "+errNoIdentity.Error()+"\n", stderr.String())
}

// TestBinaryDevModeRunsAndStops: what make run starts (-dev-identity, no
// other configuration) serves, says it is a development mode, and exits 0
// on SIGTERM.
func TestBinaryDevModeRunsAndStops(t *testing.T) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "WSC_TEST_MAIN=-dev-identity -memory -addr 127.0.0.1:0")
	cmd.Dir = t.TempDir() // its default -data-dir, ./wsc-data, goes there
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	lines := bufio.NewScanner(stderr)
	var log strings.Builder
	for !strings.Contains(log.String(), "DEVELOPMENT MODE") && lines.Scan() {
		log.WriteString(lines.Text() + "\n")
	}
	assert.Contains(t, log.String(), "listening on 127.0.0.1:")
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	for lines.Scan() { // drain until the process closes its stderr
	}
	require.NoError(t, cmd.Wait(), "exit status 0 after SIGTERM")
}
