package auth

import (
	"net/http/httptest"
	"testing"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestFromQuery(t *testing.T) {
	r := httptest.NewRequest("GET", "/ws?user_id=ann&user_type=agent&ticket_id=a,b&ticket_id=c&conn_id=phone", nil)
	id, err := FromQuery(r)
	require.NoError(t, err)
	assert.Equal(t, "ann", id.UserID)
	assert.Equal(t, protocol.UserTypeAgent, id.UserType)
	assert.Equal(t, protocol.RoleAgent, id.Role)
	assert.Equal(t, []string{"a", "b", "c"}, id.Tickets)
	assert.Equal(t, "phone", id.ConnID)

	_, err = FromQuery(httptest.NewRequest("GET", "/ws", nil))
	assert.ErrorIs(t, err, ErrNoUserID)
	_, err = FromQuery(httptest.NewRequest("GET", "/ws?user_id=a&user_type=alien", nil))
	assert.ErrorIs(t, err, ErrBadIdentity)
	_, err = FromQuery(httptest.NewRequest("GET", "/ws?user_id=a&role=boss", nil))
	assert.ErrorIs(t, err, ErrBadIdentity)
}

func TestOriginChecker(t *testing.T) {
	check := OriginChecker([]string{"*.example.com"})
	for origin, want := range map[string]bool{
		"":                         true, // not a browser
		"http://hub.local:8080":    true, // same host
		"https://app.example.com":  true,
		"https://evil.com":         false,
		"https://example.com.evil": false,
		"::not a url":              false,
	} {
		r := httptest.NewRequest("GET", "http://hub.local:8080/ws", nil)
		if origin != "" {
			r.Header.Set("Origin", origin)
		}
		assert.Equal(t, want, check(r), origin)
	}
	r := httptest.NewRequest("GET", "http://hub.local/ws", nil)
	r.Header.Set("Origin", "https://anything.org")
	assert.True(t, OriginChecker([]string{"*"})(r))
}
