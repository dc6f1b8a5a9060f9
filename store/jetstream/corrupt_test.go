package jetstream_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/store"
	wscjs "github.com/go-wsc/go-wsc/store/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func tok(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// TestCorruptData: what another writer left on the server and does not
// decode is store.ErrCorrupt where it is read, never a panic; the store goes
// on with the rest.
func TestCorruptData(t *testing.T) {
	srv := shared(t)
	nc := connect(t, srv.ClientURL())
	p := prefix()
	up := strings.ToUpper(p)
	s := openStore(t, nc, wscjs.Options{Prefix: p})
	require.NoError(t, s.Close())

	junk := func(subj string) {
		t.Helper()
		_, err := nc.Request(subj, []byte("\xff{junk"), 5*time.Second) // a JetStream publish: the reply is the PubAck
		require.NoError(t, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	junk(p + ".off." + tok("u"))
	_, err := wscjs.Open(ctx, nc, wscjs.Options{Prefix: p})
	require.ErrorIs(t, err, store.ErrCorrupt, "an offline message that does not decode")
	assert.Contains(t, err.Error(), `"u"`)

	// purged by hand, the store opens; the other parts fail where they are read
	_, err = nc.Request("$JS.API.STREAM.PURGE."+up+"_OFFLINE", nil, 5*time.Second)
	require.NoError(t, err)

	junk("$KV." + up + "_PENDING." + tok("default") + "." + tok("u") + "." + tok("m1"))
	junk("$KV." + up + "_SEQ." + tok("s"))
	junk(p + ".hist." + tok("u"))
	s = openStore(t, nc, wscjs.Options{Prefix: p})
	require.ErrorIs(t, s.LoadPending(func(store.PendingAck) bool { return true }), store.ErrCorrupt)
	ch := make(chan error, 1)
	s.LoadSeq("s", func(_ store.SeqState, err error) { ch <- err })
	require.ErrorIs(t, waitErr(t, ch), store.ErrCorrupt)
	s.ReadHistory("u", "", 10, func(_ []store.Entry, _ bool, err error) { ch <- err })
	require.ErrorIs(t, waitErr(t, ch), store.ErrCorrupt)
	putDurable(t, s, "u", "ok")
}
