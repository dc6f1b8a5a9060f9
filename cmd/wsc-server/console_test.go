package main

import (
	"io"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConsoleIsServed(t *testing.T) {
	_, ts := startServerWith(t, serverConfig{DevIdentity: true, Console: true})
	for path, ctype := range map[string]string{"/": "text/html", "/app.js": "text/javascript", "/wsc-client.js": "text/javascript", "/style.css": "text/css"} {
		resp, err := http.Get(ts.URL + path)
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode, path)
		assert.Contains(t, resp.Header.Get("Content-Type"), ctype, path)
		assert.Equal(t, consoleCSP, resp.Header.Get("Content-Security-Policy"), path)
		assert.Equal(t, "no-cache", resp.Header.Get("Cache-Control"), path)
		assert.NotEmpty(t, body, path)
	}
	resp, err := http.Get(ts.URL + "/nope.js")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// TestConsoleUsesThePackage: the page is an ES module that imports the
// @go-wsc/client bundle (client/js, npm run build; make js checks it is
// current), not a connection of its own.
func TestConsoleUsesThePackage(t *testing.T) {
	html, err := web.ReadFile("web/index.html")
	require.NoError(t, err)
	assert.Contains(t, string(html), `<script type="module" src="app.js"></script>`)
	app, err := web.ReadFile("web/app.js")
	require.NoError(t, err)
	assert.Contains(t, string(app), `import { WscClient } from './wsc-client.js';`)
	assert.NotContains(t, string(app), "new WebSocket(", "the package opens the connections")
	assert.NotContains(t, string(app), "new EventSource(", "the package opens the connections")
	bundle, err := web.ReadFile("web/wsc-client.js")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(bundle), "// Generated from client/js"), "the bundle esbuild writes")
	assert.Regexp(t, `(?m)^export \{[^}]*\bWscClient\b`, string(bundle))
}

func TestConsoleCanBeTurnedOff(t *testing.T) {
	_, ts := startServerWith(t, serverConfig{DevIdentity: true, Console: false})
	resp, err := http.Get(ts.URL + "/")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// TestConsoleLoadsNothingFromElsewhere: no CDN, no external font or script,
// so the page works on a machine without internet (and the CSP would block
// it anyway).
func TestConsoleLoadsNothingFromElsewhere(t *testing.T) {
	external := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//|@import`)
	require.NoError(t, fs.WalkDir(web, "web", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := web.ReadFile(path)
		require.NoError(t, err)
		assert.NotRegexp(t, external, string(data), path)
		return nil
	}))
}
