package auth

import (
	"crypto"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// BenchmarkTokens is the cost of checking one token: what a connection's
// handshake pays, and a refresh frame on the session's mailbox.
func BenchmarkTokens(b *testing.B) {
	rk := rsaKey2048(b)
	doc, _ := MarshalKeySet(map[string]crypto.PublicKey{"r": &rk.PublicKey})
	set, _ := ParseKeySet(doc)
	for name, tc := range map[string]struct {
		opts TokenOptions
		tok  string
	}{
		"HS256": {TokenOptions{Secret: secret}, signB(b, jwt.SigningMethodHS256, secret, "")},
		"RS256": {TokenOptions{Keys: set}, signB(b, jwt.SigningMethodRS256, rk, "r")},
	} {
		v, err := NewTokens(tc.opts)
		if err != nil {
			b.Fatal(err)
		}
		r := request(tc.tok)
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := v.Authenticate(r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func signB(b *testing.B, m jwt.SigningMethod, key any, kid string) string {
	tok := jwt.NewWithClaims(m, claims("ann", nil))
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		b.Fatal(err)
	}
	return s
}
