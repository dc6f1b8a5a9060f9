package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTicketsAPI(t *testing.T) {
	s, ts := startServer(t)
	base := ts.URL + "/api/tickets/T-9"

	code, out := call(t, "GET", base, "")
	assert.Equal(t, http.StatusNotFound, code)
	assert.Equal(t, "wsc: ticket not found", out["error"])

	code, out = call(t, "POST", base+"/join", `{"user_id":"alice"}`)
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, []any{"alice"}, out["members"])
	call(t, "POST", base+"/join", `{"user_id":"bob"}`)
	code, out = call(t, "GET", base, "")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "T-9", out["ticket_id"])
	assert.Equal(t, []any{"alice", "bob"}, out["members"])

	// A member gets the ticket's messages; the sender named in from does not.
	bob := dial(t, s, ts, "user_id=bob")
	code, _ = call(t, "POST", ts.URL+"/api/send", `{"ticket_id":"T-9","from":"alice","content":"to the ticket"}`)
	assert.Equal(t, http.StatusAccepted, code)
	m := read(t, bob)
	assert.Equal(t, "to the ticket", m.Content)
	assert.Equal(t, "T-9", m.TicketID)

	code, out = call(t, "POST", base+"/leave", `{"user_id":"bob"}`)
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, []any{"alice"}, out["members"])
	code, out = call(t, "POST", base+"/leave", `{"user_id":"alice"}`)
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, []any{}, out["members"], "the ticket goes with its last member")
	code, _ = call(t, "GET", base, "")
	assert.Equal(t, http.StatusNotFound, code)
	code, _ = call(t, "POST", base+"/leave", `{"user_id":"alice"}`)
	assert.Equal(t, http.StatusNotFound, code)

	for _, bad := range []string{``, `{}`, `{"user_id":""}`, `{"user_id":"a","role":"x"}`, `{"user_id":`, `[1]`,
		`{"user_id":"` + strings.Repeat("u", maxIDLen+1) + `"}`, `{"user_id":"` + strings.Repeat("u", maxBody) + `"}`} {
		for _, action := range []string{"join", "leave"} {
			code, out := call(t, "POST", base+"/"+action, bad)
			assert.Equal(t, http.StatusBadRequest, code, "%s %.40s", action, bad)
			assert.Contains(t, out["error"], "wsc: ")
		}
	}
	code, _ = call(t, "GET", ts.URL+"/api/tickets/"+strings.Repeat("t", maxIDLen+1), "")
	assert.Equal(t, http.StatusBadRequest, code)
	code, out = call(t, "GET", ts.URL+"/api/nothing-here", "")
	assert.Equal(t, http.StatusNotFound, code)
	assert.Contains(t, out["error"], "wsc: no route")
}
