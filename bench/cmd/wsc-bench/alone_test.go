package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Which hubs each server-alone workload runs on: the baselines have no acks
// and the ceiling no broadcast; -memory is measured where issue 13's goals
// compare it with the disk, and at a moderate rate (alone-paced); batching
// clients in the broadcasts.
func TestHubsFor(t *testing.T) {
	all := []string{"actor", "wsc-server", "wsc-server-memory", "wsc-server-batch", "chat", "ceiling"}
	assert.Equal(t, []string{"wsc-server", "wsc-server-memory", "chat", "ceiling"}, hubsFor("alone-p2p", all))
	assert.Equal(t, []string{"wsc-server", "wsc-server-memory"}, hubsFor("alone-ack", all))
	assert.Equal(t, []string{"wsc-server", "wsc-server-batch", "chat"}, hubsFor("alone-broadcast", all))
	assert.Equal(t, []string{"wsc-server", "wsc-server-batch", "chat"}, hubsFor("alone-broadcast-big", all))
	assert.Equal(t, []string{"wsc-server", "wsc-server-memory", "chat", "ceiling"}, hubsFor("alone-paced", all))
	assert.Equal(t, []string{"actor"}, hubsFor("p2p", all))
	assert.Equal(t, []string{"wsc-server-memory"}, hubsFor("alone-ack", []string{"chat", "wsc-server-memory"}))
}
