package main

import (
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testAPIKey     = "test-api-key-0123456789"
	testAPIKey2    = "second-api-key-0123456789"
	testMetricsKey = "metrics-key-0123456789"
)

// apiRoutes is every route of the API, with a body where it takes one.
var apiRoutes = []struct{ method, path, body string }{
	{"POST", "/api/send", `{"to":"nobody","content":"x"}`},
	{"GET", "/api/stats", ""},
	{"GET", "/api/users", ""},
	{"GET", "/api/records", ""},
	{"GET", "/api/records/r1", ""},
	{"POST", "/api/records/r1/retry", ""},
	{"POST", "/api/retry-failed", ""},
	{"GET", "/api/tickets/T-1", ""},
	{"POST", "/api/tickets/T-1/join", `{"user_id":"u"}`},
	{"POST", "/api/tickets/T-1/leave", `{"user_id":"u"}`},
	{"GET", "/api/no-such-route", ""},
}

func do(t *testing.T, method, url, body string, hdr map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp
}

// TestAPIKeyOnEveryRoute: each /api route answers 401 without a key and 403
// with a wrong one (both JSON), and lets either accepted key through, as a
// Bearer token or X-API-Key.
func TestAPIKeyOnEveryRoute(t *testing.T) {
	_, ts := startServerWith(t, serverConfig{DevIdentity: true, APIKeys: listFlag{testAPIKey, testAPIKey2}})
	for _, r := range apiRoutes {
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			resp := do(t, r.method, ts.URL+r.path, r.body, nil)
			assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
			assert.Equal(t, http.StatusForbidden, do(t, r.method, ts.URL+r.path, r.body, map[string]string{"X-API-Key": "wrong-key-0123456789"}).StatusCode)
			assert.Equal(t, http.StatusForbidden, do(t, r.method, ts.URL+r.path, r.body, map[string]string{"Authorization": "Bearer " + testAPIKey + "x"}).StatusCode)
			for _, h := range []map[string]string{{"Authorization": "Bearer " + testAPIKey}, {"X-API-Key": testAPIKey2}} {
				code := do(t, r.method, ts.URL+r.path, r.body, h).StatusCode
				assert.NotContains(t, []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusUnsupportedMediaType}, code, h)
			}
		})
	}
}

// TestOpenEndpointsAndMetricsKey: /healthz and /readyz need no key; /metrics
// does when -metrics-key is set, and the API key is not it.
func TestOpenEndpointsAndMetricsKey(t *testing.T) {
	_, ts := startServerWith(t, serverConfig{DevIdentity: true, APIKeys: listFlag{testAPIKey}, MetricsKey: testMetricsKey})
	assert.Equal(t, http.StatusOK, do(t, "GET", ts.URL+"/healthz", "", nil).StatusCode)
	assert.Equal(t, http.StatusOK, do(t, "GET", ts.URL+"/readyz", "", nil).StatusCode)
	assert.Equal(t, http.StatusUnauthorized, do(t, "GET", ts.URL+"/metrics", "", nil).StatusCode)
	assert.Equal(t, http.StatusForbidden, do(t, "GET", ts.URL+"/metrics", "", map[string]string{"X-API-Key": testAPIKey}).StatusCode)
	assert.Equal(t, http.StatusOK, do(t, "GET", ts.URL+"/metrics", "", map[string]string{"Authorization": "Bearer " + testMetricsKey}).StatusCode)
}

// TestAPIRefusesCrossSiteRequests: a page on another site cannot post to the
// API through its user's browser: a foreign Origin is 403 and a body that
// is not JSON (form, text/plain: what a browser sends cross-site without a
// preflight) is 415 — also without any API key configured.
func TestAPIRefusesCrossSiteRequests(t *testing.T) {
	_, ts := startServerWith(t, serverConfig{DevIdentity: true})
	send := ts.URL + "/api/send"
	body := `{"to":"bob","content":"transfer everything"}`
	for name, tc := range map[string]struct {
		hdr  map[string]string
		want int
	}{
		"text/plain":            {map[string]string{"Content-Type": "text/plain"}, http.StatusUnsupportedMediaType},
		"form":                  {map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, http.StatusUnsupportedMediaType},
		"multipart":             {map[string]string{"Content-Type": "multipart/form-data; boundary=x"}, http.StatusUnsupportedMediaType},
		"foreign origin":        {map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		"foreign origin on GET": {map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		"same origin":           {map[string]string{"Origin": ts.URL}, http.StatusNotFound}, // bob is offline: the send went through
		"JSON with charset":     {map[string]string{"Content-Type": "application/json; charset=utf-8"}, http.StatusNotFound},
	} {
		t.Run(name, func(t *testing.T) {
			method, url, b := "POST", send, body
			if strings.HasSuffix(name, "on GET") {
				method, url, b = "GET", ts.URL+"/api/stats", ""
			}
			resp := do(t, method, url, b, tc.hdr)
			assert.Equal(t, tc.want, resp.StatusCode)
		})
	}
}

// TestTokensNeedAnAPIKey: with tokens and no API key the server does not
// start (the API would let anyone send as anyone); keys shorter than 16
// characters are refused.
func TestTokensNeedAnAPIKey(t *testing.T) {
	_, err := newServer(serverConfig{Tokens: tokenConfig{JWTSecret: testSecret}})
	require.ErrorIs(t, err, errAPIKeyNeeded)
	_, err = newServer(serverConfig{DevIdentity: true, APIKeys: listFlag{"short"}})
	require.ErrorContains(t, err, "at least 16")

	path := t.TempDir() + "/keys"
	require.NoError(t, os.WriteFile(path, []byte("# the console's key\n"+testAPIKey+"\n\n"), 0o600))
	c, err := parseConfig([]string{"-api-key-file", path, "-api-key", "a-b-c-d-e-f-g-h-i, j-k-l-m-n-o-p-q-r"}, io.Discard)
	require.NoError(t, err)
	keys, err := c.apiKeys()
	require.NoError(t, err)
	assert.Equal(t, []string{"a-b-c-d-e-f-g-h-i", "j-k-l-m-n-o-p-q-r", testAPIKey}, keys)
}
