package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// ErrNoKey refuses a token whose key is not in the key set.
var ErrNoKey = errors.New("wsc: no key for this token")

// KeySet is a parsed JSON Web Key Set (RFC 7517): the public keys that
// verify RS*, PS*, ES* and EdDSA tokens. It never changes once parsed, so
// any goroutine may read it.
type KeySet struct {
	keys []jwk
}

// jwk is one usable key: its id, its algorithm when the set names one, and
// the public key.
type jwk struct {
	kid, alg string
	key      crypto.PublicKey
}

// ParseKeySet reads a JWKS document ({"keys": [...]}). Keys it cannot use
// (encryption keys, private-only or unknown types, curves other than P-256,
// P-384, P-521 and Ed25519) are skipped; a set with no usable key is an error.
func ParseKeySet(data []byte) (*KeySet, error) {
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("wsc: JWKS: %w", err)
	}
	set := &KeySet{}
	var skipped []error
	for i, raw := range doc.Keys {
		k, err := parseJWK(raw)
		if err != nil {
			skipped = append(skipped, fmt.Errorf("key %d: %w", i, err))
			continue
		}
		if k.key != nil {
			set.keys = append(set.keys, k)
		}
	}
	if len(set.keys) == 0 {
		return nil, fmt.Errorf("wsc: JWKS has no usable signature key (%d keys): %w", len(doc.Keys), errors.Join(skipped...))
	}
	return set, nil
}

// Len is the number of usable keys.
func (s *KeySet) Len() int { return len(s.keys) }

// Key finds the key for a token's kid and alg: the key with that kid (a kid
// the set lacks is ErrNoKey); without a kid, the only key of alg's type.
// The key's type must suit alg, so a token cannot pick a key meant for
// another algorithm.
func (s *KeySet) Key(kid, alg string) (crypto.PublicKey, error) {
	var found []crypto.PublicKey
	for _, k := range s.keys {
		if (kid != "" && k.kid != kid) || (k.alg != "" && k.alg != alg) || !suits(k.key, alg) {
			continue
		}
		found = append(found, k.key)
	}
	switch {
	case len(found) == 1, len(found) > 1 && kid != "":
		return found[0], nil
	case len(found) > 1:
		return nil, fmt.Errorf("%w: the token names no kid and %d keys suit %s", ErrNoKey, len(found), alg)
	case kid != "":
		return nil, fmt.Errorf("%w: kid %q, alg %s", ErrNoKey, kid, alg)
	default:
		return nil, fmt.Errorf("%w: alg %s", ErrNoKey, alg)
	}
}

// suits reports whether key can verify alg.
func suits(key crypto.PublicKey, alg string) bool {
	switch k := key.(type) {
	case *rsa.PublicKey:
		return strings.HasPrefix(alg, "RS") || strings.HasPrefix(alg, "PS")
	case *ecdsa.PublicKey:
		want := map[string]elliptic.Curve{"ES256": elliptic.P256(), "ES384": elliptic.P384(), "ES512": elliptic.P521()}[alg]
		return want != nil && k.Curve == want
	case ed25519.PublicKey:
		return alg == "EdDSA"
	}
	return false
}

func parseJWK(raw []byte) (jwk, error) {
	var k struct {
		Kty, Kid, Alg, Use, Crv, N, E, X, Y string
	}
	if err := json.Unmarshal(raw, &k); err != nil {
		return jwk{}, err
	}
	out := jwk{kid: k.Kid, alg: k.Alg}
	if k.Use != "" && k.Use != "sig" {
		return out, nil // an encryption key: not ours to use, not an error
	}
	var err error
	switch k.Kty {
	case "RSA":
		out.key, err = rsaKey(k.N, k.E)
	case "EC":
		out.key, err = ecKey(k.Crv, k.X, k.Y)
	case "OKP":
		out.key, err = okpKey(k.Crv, k.X)
	default:
		err = fmt.Errorf("key type %q", k.Kty)
	}
	return out, err
}

func b64(field, s string) ([]byte, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("bad or missing %q", field)
	}
	return b, nil
}

func rsaKey(n, e string) (crypto.PublicKey, error) {
	nb, err := b64("n", n)
	if err != nil {
		return nil, err
	}
	eb, err := b64("e", e)
	if err != nil {
		return nil, err
	}
	if len(eb) > 4 {
		return nil, errors.New("RSA exponent too large")
	}
	key := &rsa.PublicKey{N: new(big.Int).SetBytes(nb), E: int(new(big.Int).SetBytes(eb).Int64())}
	if key.N.BitLen() < 2048 {
		return nil, fmt.Errorf("RSA key of %d bits: at least 2048 are needed", key.N.BitLen())
	}
	return key, nil
}

func ecKey(crv, x, y string) (crypto.PublicKey, error) {
	curve := map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}[crv]
	if curve == nil {
		return nil, fmt.Errorf("curve %q", crv)
	}
	xb, err := b64("x", x)
	if err != nil {
		return nil, err
	}
	yb, err := b64("y", y)
	if err != nil {
		return nil, err
	}
	size := (curve.Params().BitSize + 7) / 8
	if len(xb) != size || len(yb) != size {
		return nil, fmt.Errorf("%s coordinates must be %d bytes", crv, size)
	}
	// the parser checks that the point is on the curve
	key, err := ecdsa.ParseUncompressedPublicKey(curve, append(append([]byte{4}, xb...), yb...))
	if err != nil {
		return nil, fmt.Errorf("%s point: %w", crv, err)
	}
	return key, nil
}

func okpKey(crv, x string) (crypto.PublicKey, error) {
	if crv != "Ed25519" {
		return nil, fmt.Errorf("curve %q", crv)
	}
	xb, err := b64("x", x)
	if err != nil {
		return nil, err
	}
	if len(xb) != ed25519.PublicKeySize {
		return nil, errors.New("Ed25519 key must be 32 bytes")
	}
	return ed25519.PublicKey(xb), nil
}
