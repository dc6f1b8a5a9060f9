package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"os"
	"strings"

	"github.com/go-wsc/go-wsc/transport/auth"
)

// Errors of the API's front door, written as {"error": …}.
var (
	errNoKey        = errors.New("wsc: an API key is required (Authorization: Bearer <key> or X-API-Key)")
	errWrongKey     = errors.New("wsc: wrong API key")
	errOrigin       = errors.New("wsc: origin not allowed")
	errContentType  = errors.New("wsc: the body must be application/json")
	errAPIKeyNeeded = errors.New("-api-key or -api-key-file is required when clients are identified by tokens: the HTTP API sends as anyone")
)

// keyRing holds the SHA-256 of each accepted key: comparing digests of equal
// length in constant time says nothing about a key's length or prefix.
type keyRing [][sha256.Size]byte

func newKeyRing(keys []string) keyRing {
	ring := make(keyRing, 0, len(keys))
	for _, k := range keys {
		ring = append(ring, sha256.Sum256([]byte(k)))
	}
	return ring
}

// match compares with every key, whichever matches, in constant time.
func (ring keyRing) match(key string) bool {
	sum := sha256.Sum256([]byte(key))
	ok := 0
	for i := range ring {
		ok |= subtle.ConstantTimeCompare(sum[:], ring[i][:])
	}
	return ok == 1
}

// presentedKey is the key of Authorization: Bearer or X-API-Key.
func presentedKey(r *http.Request) string {
	if h := r.Header.Get("Authorization"); len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return r.Header.Get("X-API-Key")
}

// requireKey answers 401 without a key and 403 with a wrong one; an empty
// ring lets everything through.
func requireKey(ring keyRing, next http.Handler) http.Handler {
	if len(ring) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch key := presentedKey(r); {
		case key == "":
			w.Header().Set("WWW-Authenticate", `Bearer realm="wsc"`)
			writeError(w, http.StatusUnauthorized, errNoKey)
		case !ring.match(key):
			writeError(w, http.StatusForbidden, errWrongKey)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// guardAPI is the API's front door: the key (401, 403), then the origin
// policy of the transports (403: a page of another site cannot call the API
// with its user's browser), then a JSON body (415: a form or text/plain POST,
// which a browser sends cross-site without asking, is refused).
func (s *server) guardAPI(next http.Handler) http.Handler {
	sameOrigin := auth.OriginChecker(s.cfg.WS.AllowedOrigins)
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !sameOrigin(r) {
			writeError(w, http.StatusForbidden, errOrigin)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && r.ContentLength != 0 {
			if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
				writeError(w, http.StatusUnsupportedMediaType, errContentType)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
	return requireKey(s.apiKeys, inner)
}

// readKeyFile reads one key per line; blank lines and lines starting with #
// are skipped.
func readKeyFile(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var keys []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			keys = append(keys, line)
		}
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s holds no key", path)
	}
	return keys, sc.Err()
}

// apiKeys gathers -api-key and -api-key-file, refusing short keys: a key is a
// password that never needs typing.
func (c serverConfig) apiKeys() ([]string, error) {
	keys := append([]string(nil), c.APIKeys...)
	if c.APIKeyFile != "" {
		more, err := readKeyFile(c.APIKeyFile)
		if err != nil {
			return nil, fmt.Errorf("-api-key-file: %w", err)
		}
		keys = append(keys, more...)
	}
	for _, k := range append(keys, c.MetricsKey) {
		if k != "" && len(k) < minKeyLen {
			return nil, fmt.Errorf("an API or metrics key must be at least %d characters", minKeyLen)
		}
	}
	if len(keys) == 0 && !c.DevIdentity {
		return nil, errAPIKeyNeeded
	}
	return keys, nil
}

const minKeyLen = 16
