package load

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A sender that gave up leaves its partner's remaining messages unsent, not
// lost: the hub never saw them.
func TestUnsentCountsWhatNoSenderSent(t *testing.T) {
	full, cut, none := newReceiver(nil, 10, 10), newReceiver(nil, 10, 10), newReceiver(nil, 10, 0)
	full.sent.Store(10)
	cut.sent.Store(4) // its partner gave up after 4
	assert.EqualValues(t, 6, unsent([]*receiver{full, cut, none}, 0))
	// broadcasts reach every healthy receiver: 7 of 10 made leaves 3 unsent for each expecting 10
	b1, b2 := newReceiver(nil, 10, 10), newReceiver(nil, 10, 10)
	assert.EqualValues(t, 6, unsent([]*receiver{b1, b2}, 7))
	assert.Zero(t, unsent([]*receiver{b1, b2}, 10))
}
