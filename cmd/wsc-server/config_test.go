package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// setenv sets the environment variables of kv for the test (t.Setenv: not
// with t.Parallel, and restored at the end).
func setenv(t *testing.T, kv map[string]string) {
	for k, v := range kv {
		t.Setenv(k, v)
	}
}

func TestConfigDefaultsAreTheHubs(t *testing.T) {
	c, err := parseConfig(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, ":8080", c.Addr)
	assert.Equal(t, 30*time.Second, c.Hub.HeartbeatInterval)
	assert.Equal(t, 90*time.Second, c.Hub.ClientTimeout)
	assert.False(t, c.Hub.EnableAck)
	assert.Equal(t, 5*time.Second, c.Hub.AckTimeout)
	assert.Equal(t, 3, c.Hub.MaxRetry)
	assert.Equal(t, time.Minute, c.Hub.MaxBackoff)
	assert.Equal(t, 10_000, c.Hub.MaxRecords)
	assert.Equal(t, 24*time.Hour, c.Hub.RecordRetention)
	assert.False(t, c.Hub.DisableMessageRecord)
	assert.Equal(t, int64(64<<10), c.Hub.MaxMessageSize)
	assert.Equal(t, 256, c.Hub.MessageBufferSize)
	assert.Equal(t, 2*time.Minute, c.Hub.SSETimeout)
	assert.Empty(t, c.WS.AllowedOrigins)
	assert.True(t, c.Console)
	assert.Equal(t, 30*time.Second, c.SendWait)
	assert.Equal(t, 10*time.Second, c.ShutdownTimeout)
}

func TestConfigFromEnvironment(t *testing.T) {
	setenv(t, map[string]string{
		"WSC_ADDR": "127.0.0.1:9000", "WSC_HEARTBEAT": "10s", "WSC_CLIENT_TIMEOUT": "40s", "WSC_ENABLE_ACK": "true",
		"WSC_ACK_TIMEOUT": "2s", "WSC_MAX_RETRY": "5", "WSC_MAX_RECORDS": "500", "WSC_RECORD_RETENTION": "1h",
		"WSC_ALLOWED_ORIGINS": "https://app.example.com, *.example.org", "WSC_DISABLE_RECORDS": "1",
		"WSC_CONSOLE": "false", "WSC_NODE_ID": "n1",
	})
	c, err := parseConfig(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:9000", c.Addr)
	assert.Equal(t, 10*time.Second, c.Hub.HeartbeatInterval)
	assert.Equal(t, 40*time.Second, c.Hub.ClientTimeout)
	assert.True(t, c.Hub.EnableAck)
	assert.Equal(t, 2*time.Second, c.Hub.AckTimeout)
	assert.Equal(t, 5, c.Hub.MaxRetry)
	assert.Equal(t, 500, c.Hub.MaxRecords)
	assert.Equal(t, time.Hour, c.Hub.RecordRetention)
	assert.Equal(t, []string{"https://app.example.com", "*.example.org"}, c.WS.AllowedOrigins)
	assert.Equal(t, c.WS.AllowedOrigins, c.SSE.AllowedOrigins)
	assert.True(t, c.Hub.DisableMessageRecord)
	assert.False(t, c.Console)
	assert.Equal(t, "n1", c.Hub.NodeID)
}

func TestConfigFlagWinsOverEnvironment(t *testing.T) {
	setenv(t, map[string]string{"WSC_ADDR": ":9000", "WSC_ACK_TIMEOUT": "9s", "WSC_ENABLE_ACK": "true", "WSC_MAX_RETRY": "7"})
	c, err := parseConfig([]string{"-addr", ":7000", "-ack-timeout=1s", "-enable-ack=false"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, ":7000", c.Addr)
	assert.Equal(t, time.Second, c.Hub.AckTimeout)
	assert.False(t, c.Hub.EnableAck)
	assert.Equal(t, 7, c.Hub.MaxRetry, "an option not on the command line still comes from the environment")
}

func TestConfigMaxRetryZeroMeansNone(t *testing.T) {
	c, err := parseConfig([]string{"-max-retry", "0"}, io.Discard)
	require.NoError(t, err)
	assert.Negative(t, c.Hub.MaxRetry, "the hub reads zero as 3 and negative as no resends")
}

func TestConfigRefusesBadValues(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		args       []string
		env        map[string]string
	}{
		{"bad env duration", "WSC_HEARTBEAT", nil, map[string]string{"WSC_HEARTBEAT": "often"}},
		{"bad env bool", "WSC_ENABLE_ACK", nil, map[string]string{"WSC_ENABLE_ACK": "sometimes"}},
		{"bad flag", "-max-records", []string{"-max-records", "many"}, nil},
		{"unknown flag", "-bogus", []string{"-bogus"}, nil},
		{"argument", "unexpected argument", []string{"serve"}, nil},
		{"negative retry", "-max-retry", []string{"-max-retry", "-1"}, nil},
		{"negative wait", "-send-wait", []string{"-send-wait", "-1s"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setenv(t, tc.env)
			_, err := parseConfig(tc.args, io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestHelpDocumentsEveryFlag: -h lists each flag with its environment
// variable and its default, zero values included.
func TestHelpDocumentsEveryFlag(t *testing.T) {
	var out bytes.Buffer
	_, err := parseConfig([]string{"-h"}, &out)
	require.ErrorIs(t, err, flag.ErrHelp)
	fs := flag.NewFlagSet("", flag.ContinueOnError)
	defineFlags(fs)
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		n++
		assert.Regexp(t, `(?m)^  -`+f.Name+`( \w+)?$`, out.String())
		assert.Contains(t, out.String(), "env "+envName(f.Name)+`, default "`+f.DefValue+`"`)
	})
	assert.GreaterOrEqual(t, n, 20)
	for _, v := range []string{"WSC_ADDR", "WSC_HEARTBEAT", "WSC_CLIENT_TIMEOUT", "WSC_ENABLE_ACK", "WSC_ACK_TIMEOUT",
		"WSC_MAX_RETRY", "WSC_MAX_RECORDS", "WSC_RECORD_RETENTION", "WSC_ALLOWED_ORIGINS"} {
		assert.Contains(t, out.String(), v)
	}
}

func TestRunHelpAndBadAddress(t *testing.T) {
	err := run(context.Background(), []string{"-h"}, io.Discard)
	require.ErrorIs(t, err, flag.ErrHelp)
	err = run(context.Background(), []string{"-dev-identity", "-memory", "-addr", "256.0.0.1:http"}, io.Discard)
	require.Error(t, err)
	err = run(context.Background(), []string{"-dev-identity", "-memory", "-addr", "127.0.0.1:0", "-heartbeat", "-1s"}, io.Discard)
	require.Error(t, err, "the hub refuses a negative heartbeat")
	assert.True(t, strings.Contains(err.Error(), "negative"), err.Error())
}

// TestRunServesUntilCancelled: run starts the whole server and, when its
// context ends, shuts down without leaving a goroutine (goleak in TestMain).
func TestRunServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-dev-identity", "-memory", "-addr", "127.0.0.1:0"}, io.Discard) }()
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(15 * time.Second):
		t.Fatal("run did not return after its context ended")
	}
}
