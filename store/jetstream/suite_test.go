package jetstream_test

import (
	"context"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/store"
	"github.com/go-wsc/go-wsc/store/jetstream"
	"github.com/go-wsc/go-wsc/store/storetest"
)

// TestSuite: the Store-level conformance suite, on one server (R1).
func TestSuite(t *testing.T) {
	srv := shared(t)
	storetest.RunStore(t, func(t *testing.T) func(store.Config) (store.Store, error) {
		nc := connect(t, srv.ClientURL())
		p := prefix()
		return func(cfg store.Config) (store.Store, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			return jetstream.Open(ctx, nc, jetstream.Options{Config: cfg, Prefix: p, MarkerTTL: time.Second})
		}
	})
}
