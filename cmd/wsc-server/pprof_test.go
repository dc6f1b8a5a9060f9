package main

import (
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPprofOnItsOwnListener(t *testing.T) {
	p, err := startPprof("127.0.0.1:0")
	require.NoError(t, err)
	resp, err := http.Get("http://" + p.Addr().String() + "/debug/pprof/cmdline")
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, p.Close())
	_, err = http.Get("http://" + p.Addr().String() + "/debug/pprof/cmdline")
	require.Error(t, err, "closed")

	none, err := startPprof("")
	require.NoError(t, err)
	assert.Nil(t, none, "off by default")
	require.NoError(t, none.Close())

	_, err = startPprof("not an address")
	require.Error(t, err)
}

// The public routes never serve the profiles.
func TestPublicMuxHasNoPprof(t *testing.T) {
	_, ts := startServerWith(t, serverConfig{DevIdentity: true, PprofAddr: "127.0.0.1:0"})
	resp, err := http.Get(ts.URL + "/debug/pprof/cmdline")
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	assert.NotEqual(t, http.StatusOK, resp.StatusCode)
}
