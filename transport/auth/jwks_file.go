package auth

import (
	"crypto"
	"fmt"
	"os"
	"sync/atomic"
)

// FileKeys is a JWKS read from a file, read again by Reload (wsc-server does
// on SIGHUP: a rotated key without a restart). A Reload that fails keeps the
// set in use. The set is swapped whole through an atomic pointer, so Key may
// run on any goroutine (a session's mailbox included) while Reload runs.
type FileKeys struct {
	path string
	set  atomic.Pointer[KeySet]
}

// NewFileKeys reads the JWKS at path.
func NewFileKeys(path string) (*FileKeys, error) {
	k := &FileKeys{path: path}
	return k, k.Reload()
}

// Reload reads the file again; on error the old set stays.
func (k *FileKeys) Reload() error {
	data, err := os.ReadFile(k.path)
	if err != nil {
		return fmt.Errorf("wsc: JWKS file: %w", err)
	}
	set, err := ParseKeySet(data)
	if err != nil {
		return fmt.Errorf("%s: %w", k.path, err)
	}
	k.set.Store(set)
	return nil
}

// Key finds a key in the current set (see KeySet.Key).
func (k *FileKeys) Key(kid, alg string) (crypto.PublicKey, error) {
	return k.set.Load().Key(kid, alg)
}
