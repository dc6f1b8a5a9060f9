package main

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDataDirFlags: the server is durable by default (./wsc-data), -memory
// and WSC_DATA_DIR say otherwise, an empty directory is refused, and the
// offline bounds reach the store and the hub's in-memory store alike.
func TestDataDirFlags(t *testing.T) {
	c, err := parseConfig(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "./wsc-data", c.Data.Dir)
	assert.False(t, c.Data.Memory)
	assert.True(t, c.Data.durable())
	assert.Equal(t, 1000, c.Data.Store.OfflinePerUser)
	assert.Equal(t, c.Data.Store.OfflinePerUser, c.Hub.OfflinePerUser)
	assert.Equal(t, 100_000, c.Hub.OfflineTotal)
	assert.Equal(t, int64(8<<20), c.Hub.OfflinePerUserBytes)
	assert.Equal(t, int64(256<<20), c.Data.Store.OfflineTotalBytes)
	assert.Equal(t, 64, c.Data.Store.HistoryPerUser)
	assert.Equal(t, 64, c.Hub.RecentPerUser)
	assert.Equal(t, time.Hour, c.Hub.HistoryTTL)
	assert.Equal(t, int64(64<<20), c.Data.Store.HistoryMaxBytes)

	c, err = parseConfig([]string{"-memory", "-offline-per-user", "7", "-offline-total-bytes", "4096", "-history-size", "5", "-history-ttl", "1m", "-history-max-bytes", "1024"}, io.Discard)
	require.NoError(t, err)
	assert.False(t, c.Data.durable())
	assert.Equal(t, 7, c.Hub.OfflinePerUser)
	assert.Equal(t, 7, c.Data.Store.OfflinePerUser)
	assert.Equal(t, int64(4096), c.Hub.OfflineTotalBytes)
	assert.Equal(t, 5, c.Hub.RecentPerUser)
	assert.Equal(t, time.Minute, c.Data.Store.HistoryTTL)
	assert.Equal(t, int64(1024), c.Data.Store.HistoryMaxBytes)

	t.Setenv("WSC_DATA_DIR", "/var/lib/wsc")
	c, err = parseConfig(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "/var/lib/wsc", c.Data.Dir)

	_, err = parseConfig([]string{"-data-dir", ""}, io.Discard)
	require.ErrorContains(t, err, "-memory")
	_, err = parseConfig([]string{"-offline-total", "-1"}, io.Discard)
	require.ErrorContains(t, err, "negative")
	_, err = parseConfig([]string{"-history-max-bytes", "-1"}, io.Discard)
	require.ErrorContains(t, err, "negative")
}

// TestStoreFailureAnswers503: when the store cannot keep a message (here it
// is closed under the hub, as a failing disk leaves it), /api/send answers
// 503 and nothing is accepted; a ticket join likewise. (Breaking the mapping
// in errorStatus turns these into 500.)
func TestStoreFailureAnswers503(t *testing.T) {
	s, ts := startServerWith(t, serverConfig{DevIdentity: true, Hub: hub.Config{EnableAck: true}, Data: dataConfig{Dir: t.TempDir()}})
	require.NotNil(t, s.data, "a data directory opens a store")

	code, out := call(t, "POST", ts.URL+"/api/send", `{"to":"away","content":"kept"}`)
	require.Equal(t, http.StatusNotFound, code, out)
	assert.Equal(t, true, out["stored"])

	require.NoError(t, s.data.db.Close()) // after an answer from the hub: it is idle
	code, out = call(t, "POST", ts.URL+"/api/send", `{"to":"away","content":"not kept"}`)
	assert.Equal(t, http.StatusServiceUnavailable, code, out)
	assert.Nil(t, out["stored"])
	code, out = call(t, "POST", ts.URL+"/api/send", `{"to":"away","content":"not kept","wait":true}`)
	assert.Equal(t, http.StatusServiceUnavailable, code, out)
	code, out = call(t, "POST", ts.URL+"/api/tickets/T-1/join", `{"user_id":"away"}`)
	assert.Equal(t, http.StatusServiceUnavailable, code, out)

	offline, err := s.hub.OfflineMessages(context.Background(), "away")
	require.NoError(t, err)
	require.Len(t, offline, 1, "only the accepted message is in the store")
	assert.Equal(t, "kept", offline[0].Content)
}
