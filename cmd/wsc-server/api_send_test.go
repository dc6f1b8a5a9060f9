package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSendAndWait: "wait": true answers with the ack's outcome.
func TestSendAndWait(t *testing.T) {
	s, ts := startServerWith(t, serverConfig{DevIdentity: true, Hub: hub.Config{EnableAck: true}, SendWait: 5 * time.Second})
	bob := dial(t, s, ts, "user_id=bob")

	type answer struct {
		code int
		out  map[string]any
	}
	send := func(body string) <-chan answer {
		ch := make(chan answer, 1)
		go func() {
			code, out := call(t, "POST", ts.URL+"/api/send", body)
			ch <- answer{code, out}
		}()
		return ch
	}

	waiting := send(`{"to":"bob","content":"sign here","wait":true}`)
	m := read(t, bob)
	require.True(t, m.RequireAck)
	sendAck(t, bob, m.ID, protocol.AckConfirmed)
	got := <-waiting
	assert.Equal(t, http.StatusOK, got.code)
	assert.Equal(t, "acknowledged", got.out["result"])
	assert.Equal(t, m.ID, got.out["id"])
	assert.Contains(t, got.out, "rtt_ms")

	waiting = send(`{"to":"bob","content":"refuse me","wait":true}`)
	m = read(t, bob)
	sendAck(t, bob, m.ID, protocol.AckFailed)
	got = <-waiting
	assert.Equal(t, http.StatusOK, got.code)
	assert.Equal(t, "rejected", got.out["result"])
	assert.NotEmpty(t, got.out["error"])

	code, out := call(t, "POST", ts.URL+"/api/send", `{"to":"nobody","content":"x","wait":true}`)
	assert.Equal(t, http.StatusNotFound, code)
	assert.Equal(t, "offline", out["result"])
	assert.Equal(t, true, out["stored"])

	// A ticket: one outcome per member but the sender.
	call(t, "POST", ts.URL+"/api/tickets/T-1/join", `{"user_id":"bob"}`)
	call(t, "POST", ts.URL+"/api/tickets/T-1/join", `{"user_id":"alice"}`)
	waiting = send(`{"ticket_id":"T-1","from":"alice","content":"all of you","wait":true}`)
	m = read(t, bob)
	sendAck(t, bob, m.ID, protocol.AckConfirmed)
	got = <-waiting
	assert.Equal(t, http.StatusOK, got.code)
	outcomes := got.out["outcomes"].([]any)
	require.Len(t, outcomes, 1)
	assert.Equal(t, "acknowledged", outcomes[0].(map[string]any)["result"])
}

// TestSendWaitIsBounded: with no ack, the answer comes after -send-wait, as
// pending; the message is still tracked.
func TestSendWaitIsBounded(t *testing.T) {
	s, ts := startServerWith(t, serverConfig{DevIdentity: true, Hub: hub.Config{EnableAck: true}, SendWait: 50 * time.Millisecond})
	bob := dial(t, s, ts, "user_id=bob")
	code, out := call(t, "POST", ts.URL+"/api/send", `{"to":"bob","content":"silence","wait":true}`)
	assert.Equal(t, http.StatusAccepted, code)
	assert.Equal(t, "pending", out["result"])
	m := read(t, bob)
	assert.Equal(t, out["id"], m.ID)
	recordIs(t, ts.URL, m.ID, "delivered")
}

func TestSendRefusals(t *testing.T) {
	_, ts := startServer(t) // acks not enabled hub-wide
	code, out := call(t, "POST", ts.URL+"/api/send", `{"to":"bob","content":"x","wait":true}`)
	assert.Equal(t, http.StatusConflict, code, "waiting needs -enable-ack")
	assert.Equal(t, "wsc: ack disabled", out["error"])

	for _, bad := range []string{
		`{"broadcast":true,"content":"x","require_ack":true}`, `{"broadcast":true,"content":"x","wait":true}`,
		`{"to":"bob","tags":[""]}`, `{"to":"bob","tags":["` + strings.Repeat("t", maxTagLen+1) + `"]}`,
		`{"to":"bob","tags":["1","2","3","4","5","6","7","8","9","10","11","12","13","14","15","16","17"]}`,
		`{"to":"bob","tags":"vip"}`, `{"to":"bob","wait":"yes"}`,
	} {
		code, out := call(t, "POST", ts.URL+"/api/send", bad)
		assert.Equal(t, http.StatusBadRequest, code, bad)
		assert.Contains(t, out["error"], "wsc: ", bad)
	}
}
