package main

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSSEIsMounted: /sse serves the stream (GET) and the inbound path (POST).
func TestSSEIsMounted(t *testing.T) {
	_, ts := startServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", ts.URL+"/sse?user_id=zed", nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Type"), "text/event-stream")
	rd := bufio.NewReader(resp.Body)
	for {
		line, err := rd.ReadString('\n')
		require.NoError(t, err)
		if strings.HasPrefix(line, "event: ") {
			assert.Equal(t, "event: session\n", line, "the first event names the session")
			break
		}
	}

	post, err := http.Post(ts.URL+"/sse?user_id=zed&session=unknown", "application/json", strings.NewReader(`{"type":"ping"}`))
	require.NoError(t, err)
	post.Body.Close()
	assert.Equal(t, http.StatusNotFound, post.StatusCode, "the SSE handler, not the router, answers")
}
