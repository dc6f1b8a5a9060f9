package jetstream

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A LoadOffline that met no responder (a leader election under way) asks
// again: under load one failed so in TestJetStreamOfflineFromAnyNode
// (transport/nats), and the user's first connection was paged without the
// 30 messages another node had stored. Other errors, and no responder until
// the timeout, are reported.
func TestRetryNoResponders(t *testing.T) {
	calls := 0
	err := retryNoResponders(context.Background(), func() error {
		if calls++; calls < 3 {
			return fmt.Errorf("reading: %w", nats.ErrNoResponders)
		}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, 3, calls, "asked again until a responder answered")

	calls = 0
	boom := errors.New("boom")
	assert.ErrorIs(t, retryNoResponders(context.Background(), func() error { calls++; return boom }), boom)
	assert.Equal(t, 1, calls, "another error is not asked again")

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, retryNoResponders(ctx, func() error { return nats.ErrNoResponders }), nats.ErrNoResponders)
}
