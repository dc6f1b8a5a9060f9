package hub_test

import (
	"context"
	"net"
	"regexp"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors"
	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// limits is the part of a Config that withDefaults fills in, as one
// comparable value.
type limits struct {
	HeartbeatInterval, ClientTimeout, SSEHeartbeat, SSETimeout     time.Duration
	AckTimeout, MaxBackoff, ClusterHeartbeat, HistoryTTL, UserIdle time.Duration
	MessageBufferSize, SSEMessageBuffer, RecentPerUser, MaxRetry   int
	MaxTickets, MaxTicketsPerUser, OfflinePerUser, OfflineTotal    int
	RateBurst                                                      int
	MaxQueueBytes, MaxMessageSize, RecentBytesPerUser              int64
	OfflinePerUserBytes, OfflineTotalBytes                         int64
}

func limitsOf(c hub.Config) limits {
	return limits{c.HeartbeatInterval, c.ClientTimeout, c.SSEHeartbeat, c.SSETimeout,
		c.AckTimeout, c.MaxBackoff, c.ClusterHeartbeat, c.HistoryTTL, c.UserIdle,
		c.MessageBufferSize, c.SSEMessageBuffer, c.RecentPerUser, c.MaxRetry,
		c.MaxTickets, c.MaxTicketsPerUser, c.OfflinePerUser, c.OfflineTotal, c.RateBurst,
		c.MaxQueueBytes, c.MaxMessageSize, c.RecentBytesPerUser, c.OfflinePerUserBytes, c.OfflineTotalBytes}
}

// Every zero value of Config means the default its comment gives (SPEC.md's);
// a value given is kept as it is.
func TestConfigZeroValuesAreTheDocumentedDefaults(t *testing.T) {
	h := newHub(t, hub.Config{})
	assert.Equal(t, limits{
		HeartbeatInterval: 30 * time.Second, ClientTimeout: 90 * time.Second,
		SSEHeartbeat: 30 * time.Second, SSETimeout: 2 * time.Minute,
		AckTimeout: 5 * time.Second, MaxBackoff: time.Minute, ClusterHeartbeat: time.Second,
		HistoryTTL: time.Hour, UserIdle: 5 * time.Minute,
		MessageBufferSize: 256, SSEMessageBuffer: 100, RecentPerUser: 64, MaxRetry: 3,
		MaxTickets: 100_000, MaxTicketsPerUser: 1000, OfflinePerUser: 1000, OfflineTotal: 100_000,
		RateBurst:     0, // no rate limit
		MaxQueueBytes: 1 << 20, MaxMessageSize: 64 << 10, RecentBytesPerUser: 256 << 10,
		OfflinePerUserBytes: 8 << 20, OfflineTotalBytes: 256 << 20,
	}, limitsOf(h.Config()))

	given := limits{
		HeartbeatInterval: 1 * time.Second, ClientTimeout: 2 * time.Second, SSEHeartbeat: 3 * time.Second,
		SSETimeout: 4 * time.Second, AckTimeout: 5 * time.Millisecond, MaxBackoff: 6 * time.Second,
		ClusterHeartbeat: 7 * time.Second, HistoryTTL: 8 * time.Second, UserIdle: 9 * time.Second,
		MessageBufferSize: 10, SSEMessageBuffer: 11, RecentPerUser: 12, MaxRetry: 13,
		MaxTickets: 14, MaxTicketsPerUser: 15, OfflinePerUser: 16, OfflineTotal: 17, RateBurst: 18,
		MaxQueueBytes: 19, MaxMessageSize: 20, RecentBytesPerUser: 21, OfflinePerUserBytes: 22, OfflineTotalBytes: 23,
	}
	c := hub.Config{RateLimit: 100, NodeID: "given"}
	c.HeartbeatInterval, c.ClientTimeout, c.SSEHeartbeat, c.SSETimeout = given.HeartbeatInterval, given.ClientTimeout, given.SSEHeartbeat, given.SSETimeout
	c.AckTimeout, c.MaxBackoff, c.ClusterHeartbeat, c.HistoryTTL, c.UserIdle = given.AckTimeout, given.MaxBackoff, given.ClusterHeartbeat, given.HistoryTTL, given.UserIdle
	c.MessageBufferSize, c.SSEMessageBuffer, c.RecentPerUser, c.MaxRetry = given.MessageBufferSize, given.SSEMessageBuffer, given.RecentPerUser, given.MaxRetry
	c.MaxTickets, c.MaxTicketsPerUser, c.OfflinePerUser, c.OfflineTotal, c.RateBurst = given.MaxTickets, given.MaxTicketsPerUser, given.OfflinePerUser, given.OfflineTotal, given.RateBurst
	c.MaxQueueBytes, c.MaxMessageSize, c.RecentBytesPerUser = given.MaxQueueBytes, given.MaxMessageSize, given.RecentBytesPerUser
	c.OfflinePerUserBytes, c.OfflineTotalBytes = given.OfflinePerUserBytes, given.OfflineTotalBytes
	h = newHub(t, c)
	assert.Equal(t, given, limitsOf(h.Config()))
	assert.Equal(t, "given", h.NodeID())
}

// A rate limit without a burst allows bursts of the rate rounded up.
func TestRateBurstDefaultsToTheRateRoundedUp(t *testing.T) {
	for rate, burst := range map[float64]int{0.5: 1, 1: 1, 2.5: 3, 10: 10} {
		assert.Equal(t, burst, newHub(t, hub.Config{RateLimit: rate}).Config().RateBurst, "rate %v", rate)
	}
}

// Negative limits and durations are refused, each on its own.
func TestConfigRefusesEachNegativeValue(t *testing.T) {
	for name, c := range map[string]hub.Config{
		"HeartbeatInterval": {HeartbeatInterval: -1}, "ClientTimeout": {ClientTimeout: -1},
		"SSEHeartbeat": {SSEHeartbeat: -1}, "SSETimeout": {SSETimeout: -1}, "AckTimeout": {AckTimeout: -1},
		"MaxBackoff": {MaxBackoff: -1}, "ClusterHeartbeat": {ClusterHeartbeat: -1}, "HistoryTTL": {HistoryTTL: -1},
		"UserIdle": {UserIdle: -1}, "MessageBufferSize": {MessageBufferSize: -1}, "MaxQueueBytes": {MaxQueueBytes: -1},
		"MaxMessageSize": {MaxMessageSize: -1}, "RateLimit": {RateLimit: -1}, "OfflinePerUser": {OfflinePerUser: -1},
		"SSEMessageBuffer": {SSEMessageBuffer: -1}, "RecentPerUser": {RecentPerUser: -1}, "OfflineTotal": {OfflineTotal: -1},
		"MaxConnectionsPerUser": {MaxConnectionsPerUser: -1},
	} {
		sys := actors.NewSystem()
		h, err := hub.New(sys, c)
		if assert.ErrorIs(t, err, hub.ErrInvalidConfig, name) {
			continue
		}
		if h != nil {
			require.NoError(t, h.Shutdown(context.Background()))
		}
		sys.Shutdown()
	}
}

// A generated node id is node-<ip>-<port>-<n>, with this machine's first
// non-loopback IPv4 address when it has one, and differs between hubs.
func TestGeneratedNodeIDsNameTheHostAndPort(t *testing.T) {
	var ips []string
	addrs, err := net.InterfaceAddrs()
	require.NoError(t, err)
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			ips = append(ips, n.IP.String())
		}
	}
	a, b := newHub(t, hub.Config{Port: 8080}).NodeID(), newHub(t, hub.Config{Port: 8080}).NodeID()
	assert.NotEqual(t, a, b)
	for _, id := range []string{a, b} {
		m := regexp.MustCompile(`^node-(.+)-8080-[0-9]+$`).FindStringSubmatch(id)
		require.NotNil(t, m, id)
		if len(ips) == 0 {
			assert.Equal(t, "127.0.0.1", m[1])
		} else {
			assert.Contains(t, ips, m[1], "a non-loopback IPv4 address of this machine")
		}
	}
}
