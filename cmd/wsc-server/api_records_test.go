package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordIs waits until GET /api/records/{id} shows delivery.
func recordIs(t *testing.T, base, id, delivery string) map[string]any {
	t.Helper()
	var rec map[string]any
	require.Eventually(t, func() bool {
		code, out := call(t, "GET", base+"/api/records/"+id, "")
		rec = out
		return code == http.StatusOK && out["delivery"] == delivery
	}, 5*time.Second, 5*time.Millisecond, "record %s never showed %s: %v", id, delivery, rec)
	return rec
}

func TestRecordsAPI(t *testing.T) {
	s, ts := startServer(t)
	bob := dial(t, s, ts, "user_id=bob")

	_, sent := call(t, "POST", ts.URL+"/api/send", `{"to":"bob","content":"one","tags":["vip","billing"]}`)
	read(t, bob)
	_, stored := call(t, "POST", ts.URL+"/api/send", `{"to":"carol","content":"two","tags":["billing"]}`)
	sentID, storedID := sent["id"].(string), stored["id"].(string)

	rec := recordIs(t, ts.URL, sentID, "delivered")
	assert.Equal(t, "success", rec["status"])
	assert.Equal(t, "bob", rec["user_id"])
	assert.ElementsMatch(t, []any{"vip", "billing"}, rec["tags"])
	assert.Equal(t, "one", rec["message"].(map[string]any)["content"])
	assert.NotEmpty(t, rec["history"])
	rec = recordIs(t, ts.URL, storedID, "offline")
	assert.Equal(t, "user_offline", rec["status"])
	assert.Equal(t, "user_offline", rec["reason"])

	ids := func(q string) []any {
		code, out := call(t, "GET", ts.URL+"/api/records"+q, "")
		require.Equal(t, http.StatusOK, code, q)
		var got []any
		for _, r := range out["records"].([]any) {
			got = append(got, r.(map[string]any)["id"])
		}
		return got
	}
	assert.Equal(t, []any{storedID, sentID}, ids(""), "newest first by default")
	assert.Equal(t, []any{sentID, storedID}, ids("?order=oldest"))
	assert.Equal(t, []any{storedID}, ids("?limit=1"))
	assert.Equal(t, []any{sentID}, ids("?tag=vip"))
	assert.Equal(t, []any{storedID, sentID}, ids("?tag=billing"))
	assert.Equal(t, []any{storedID}, ids("?status=user_offline"))
	assert.Equal(t, []any{storedID}, ids("?retryable=true"))
	assert.Equal(t, []any{storedID}, ids("?retryable=true&tag=billing"))
	assert.Nil(t, ids("?retryable=true&tag=vip"))
	assert.Nil(t, ids("?status=failed"))
	assert.Equal(t, []any{sentID}, ids("?user_id=bob"))

	for _, bad := range []string{"?status=bogus", "?reason=whatever", "?limit=0", "?limit=x", "?limit=10001",
		"?retryable=maybe", "?order=sideways", "?colour=red"} {
		code, out := call(t, "GET", ts.URL+"/api/records"+bad, "")
		assert.Equal(t, http.StatusBadRequest, code, bad)
		assert.Contains(t, out["error"], "wsc: ", bad)
	}
	code, out := call(t, "GET", ts.URL+"/api/records/no-such-id", "")
	assert.Equal(t, http.StatusNotFound, code)
	assert.Equal(t, "wsc: record not found", out["error"])
	code, _ = call(t, "GET", ts.URL+"/api/records/"+strings.Repeat("x", maxIDLen+1), "")
	assert.Equal(t, http.StatusBadRequest, code)
}

func TestRetryAPI(t *testing.T) {
	s, ts := startServer(t)
	_, out := call(t, "POST", ts.URL+"/api/send", `{"to":"carol","content":"later"}`)
	id := out["id"].(string)
	recordIs(t, ts.URL, id, "offline")

	// Carol is still away: the attempt is made and the message stored again.
	code, out := call(t, "POST", ts.URL+"/api/records/"+id+"/retry", "")
	assert.Equal(t, http.StatusNotFound, code)
	assert.Equal(t, true, out["stored"])
	assert.Equal(t, float64(1), out["attempt"])
	assert.Contains(t, out["error"], "offline")

	carol := dial(t, s, ts, "user_id=carol")
	assert.Equal(t, id, read(t, carol).ID, "the stored message comes first")
	recordIs(t, ts.URL, id, "delivered")
	code, out = call(t, "POST", ts.URL+"/api/records/"+id+"/retry", "")
	assert.Equal(t, http.StatusConflict, code, "a delivered message is not resent")
	assert.Equal(t, "wsc: message already delivered", out["error"])

	code, _ = call(t, "POST", ts.URL+"/api/records/nope/retry", "")
	assert.Equal(t, http.StatusNotFound, code)

	// retry-failed: one retryable record, dave's.
	_, out = call(t, "POST", ts.URL+"/api/send", `{"to":"dave","content":"x"}`)
	recordIs(t, ts.URL, out["id"].(string), "offline")
	code, out = call(t, "POST", ts.URL+"/api/retry-failed?limit=5", "")
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, float64(1), out["tried"])
	assert.Equal(t, float64(0), out["resent"], "dave is still offline")
	res := out["results"].([]any)[0].(map[string]any)
	assert.Equal(t, true, res["stored"])

	for _, bad := range []string{"?limit=0", "?limit=-3", "?limit=ten", "?limit=1001", "?n=3"} {
		code, out := call(t, "POST", ts.URL+"/api/retry-failed"+bad, "")
		assert.Equal(t, http.StatusBadRequest, code, bad)
		assert.Contains(t, out["error"], "wsc: ", bad)
	}
}

func TestRecordsOff(t *testing.T) {
	_, ts := startServerWith(t, serverConfig{DevIdentity: true, Hub: hub.Config{DisableMessageRecord: true}})
	_, out := call(t, "POST", ts.URL+"/api/send", `{"to":"x","content":"y","tags":["t"]}`)
	for _, req := range [][2]string{{"GET", "/api/records"}, {"GET", "/api/records/" + out["id"].(string)},
		{"POST", "/api/records/a/retry"}, {"POST", "/api/retry-failed"}} {
		code, out := call(t, req[0], ts.URL+req[1], "")
		assert.Equal(t, http.StatusConflict, code, req[1])
		assert.Equal(t, "wsc: message recording disabled", out["error"], req[1])
	}
	code, out := call(t, "GET", ts.URL+"/api/stats", "")
	assert.Equal(t, http.StatusOK, code)
	assert.Nil(t, out["records"])
}
