package bolt_test

import (
	"testing"

	"github.com/go-wsc/go-wsc/store"
	"github.com/go-wsc/go-wsc/store/bolt"
	"github.com/go-wsc/go-wsc/store/storetest"
	"github.com/stretchr/testify/require"
)

func TestSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (store.Engine, func() store.Engine) {
		dir := t.TempDir()
		open := func() store.Engine {
			e, err := bolt.Open(dir, nil)
			require.NoError(t, err)
			return e
		}
		return open(), open
	})
}
