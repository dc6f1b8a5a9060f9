package main

import (
	"testing"

	"github.com/go-wsc/go-wsc/actors/recorder"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
)

func TestDeliveryOfEachStatus(t *testing.T) {
	for _, tc := range []struct {
		status     recorder.Status
		requireAck bool
		want       string
	}{
		{recorder.StatusPending, false, "sent"},
		{recorder.StatusSending, true, "delivered"}, // written, waiting for the ack
		{recorder.StatusSuccess, false, "delivered"},
		{recorder.StatusSuccess, true, "acknowledged"},
		{recorder.StatusRetrying, true, "retrying"},
		{recorder.StatusUserOffline, false, "offline"},
		{recorder.StatusAckTimeout, true, "offline"}, // given up, kept in the offline store
		{recorder.StatusFailed, true, "failed"},
		{recorder.StatusExpired, false, "expired"},
	} {
		rec := recorder.Record{Status: tc.status, Message: &protocol.Message{RequireAck: tc.requireAck}}
		assert.Equal(t, tc.want, delivery(&rec), "%s, require_ack %t", tc.status, tc.requireAck)
	}
	assert.Equal(t, "delivered", delivery(&recorder.Record{Status: recorder.StatusSuccess}), "no message copy")
}
