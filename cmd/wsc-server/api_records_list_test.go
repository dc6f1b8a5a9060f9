package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRecordsAnswerIsBoundedInBytes: records of large messages are listed up
// to -records-answer-bytes of JSON, the rest left out with "truncated": true (the
// answer used to be built in memory whole: 4 GB for five requests).
func TestRecordsAnswerIsBoundedInBytes(t *testing.T) {
	const bound = 1 << 20
	s, ts := startServerWith(t, serverConfig{DevIdentity: true, RecordsAnswerBytes: bound})
	big := strings.Repeat("m", 60<<10)
	const n = 30 // 1.8 MB of content, over the 1 MiB bound
	for range n {
		err := s.hub.SendToUser(context.Background(), "away", &protocol.Message{Content: big})
		require.ErrorIs(t, err, hub.ErrUserOffline)
	}

	var out struct {
		Records   []map[string]any `json:"records"`
		Count     int              `json:"count"`
		Matched   int              `json:"matched"`
		Truncated bool             `json:"truncated"`
	}
	var size int
	require.Eventually(t, func() bool {
		resp, err := http.Get(ts.URL + "/api/records?limit=1000")
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		size = len(body)
		require.NoError(t, json.Unmarshal(body, &out), "the streamed answer is one JSON object")
		return out.Matched == n
	}, 10*time.Second, 20*time.Millisecond)
	assert.True(t, out.Truncated)
	assert.Equal(t, len(out.Records), out.Count)
	assert.Less(t, out.Count, n)
	assert.Greater(t, out.Count, 10)
	assert.Equal(t, defaultRecordsBytes, startServerDefaults(t).cfg.RecordsAnswerBytes, "8 MiB unless told")
	assert.LessOrEqual(t, size, bound+1024)

	resp, err := http.Get(ts.URL + "/api/records?limit=5")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	assert.False(t, out.Truncated, "five fit")
	assert.Equal(t, 5, out.Count)
}

func startServerDefaults(t *testing.T) *server {
	s, _ := startServerWith(t, serverConfig{DevIdentity: true})
	return s
}
