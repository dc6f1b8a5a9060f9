package ws_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/transport/auth"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A last_event_id of up to auth.MaxIDBytes resumes; one byte more is refused
// (400) before the upgrade.
func TestALastEventIDUpToTheIDLimitIsTaken(t *testing.T) {
	e := newEnv(t, hub.Config{}, ws.Options{})
	e.dial(t, "user_id=r&last_event_id="+strings.Repeat("x", auth.MaxIDBytes))
	e.waitConns(t, 1)
	_, resp, err := websocket.DefaultDialer.Dial(e.url("user_id=r&last_event_id="+strings.Repeat("x", auth.MaxIDBytes+1)), nil)
	require.Error(t, err)
	require.NotNil(t, resp)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
}
