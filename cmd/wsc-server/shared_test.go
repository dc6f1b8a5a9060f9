package main

import (
	"fmt"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// -nats-embedded -jetstream: the node keeps its state in JetStream, files
// under -data-dir/nats. Messages for an offline user survive a SIGKILL and
// arrive, in order, after the restart on the same directory.
func TestJetStreamNodeKeepsMessagesAcrossAKill(t *testing.T) {
	dir := t.TempDir()
	args := []string{"-nats-embedded", "-nats-listen", "127.0.0.1:0", "-jetstream", "-data-dir", dir, "-node-id", "js1"}
	p := startProc(t, args...)
	assert.Contains(t, p.state, "JetStream")
	for i := range 10 {
		code, out := p.api("POST", "/api/send", fmt.Sprintf(`{"to":"later","content":"%d"}`, i))
		require.Equal(t, http.StatusNotFound, code, out) // stored
	}
	p.stop(syscall.SIGKILL)

	p = startProc(t, args...)
	c := p.dialWS("later")
	require.NoError(t, c.SetReadDeadline(time.Now().Add(20*time.Second)))
	for i := range 10 {
		_, data, err := c.ReadMessage()
		require.NoError(t, err)
		m, err := protocol.Decode(data)
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprint(i), m.Content)
	}
}

func TestJetStreamNeedsNATS(t *testing.T) {
	_, err := parseConfig([]string{"-dev-identity", "-jetstream"}, nil)
	assert.ErrorContains(t, err, "-jetstream needs")
}
