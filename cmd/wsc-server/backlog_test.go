package main

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The case that lost 709 of 1,000 messages in the first release: 1,000 sends
// through the API to an offline user (each answered 404, stored), then one
// fast-reading WebSocket client for that user gets every one, in order.
func TestAThousandStoredSendsReachOneFastReader(t *testing.T) {
	s, ts := startServerWith(t, serverConfig{DevIdentity: true})
	const n = 1000
	for i := range n {
		code, out := call(t, "POST", ts.URL+"/api/send", fmt.Sprintf(`{"to":"late","content":"%d"}`, i))
		require.Equal(t, http.StatusNotFound, code, out)
	}
	c := dial(t, s, ts, "user_id=late")
	for i := range n {
		require.Equal(t, fmt.Sprint(i), read(t, c).Content)
	}
	st, err := s.hub.Stats(t.Context())
	require.NoError(t, err)
	assert.Zero(t, st.OfflineStored)
}
