package ack_test

import (
	"testing"

	"github.com/go-wsc/go-wsc/actors/ack"
	"github.com/stretchr/testify/assert"
)

// Delivered: the receiver has the message when it answered, whether it
// confirmed or rejected it; a message given up to the offline path is not
// delivered (the server's RTT metric counts only delivered outcomes).
func TestDeliveredOnlyWhenTheReceiverAnswered(t *testing.T) {
	for r, want := range map[ack.Result]bool{
		ack.Acknowledged: true,
		ack.Rejected:     true,
		ack.Offline:      false,
		ack.MaxRetry:     false,
	} {
		assert.Equal(t, want, ack.Outcome{Result: r}.Delivered(), r)
	}
}
