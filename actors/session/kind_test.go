package session_test

import (
	"testing"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/stretchr/testify/assert"
)

// The kinds' names, as metrics and logs show them.
func TestKindNames(t *testing.T) {
	assert.Equal(t, "ws", session.KindWebSocket.String())
	assert.Equal(t, "sse", session.KindSSE.String())
}
