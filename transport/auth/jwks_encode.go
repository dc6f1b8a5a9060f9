package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
)

// MarshalKeySet writes public keys as a JWKS document (RFC 7517), the
// inverse of ParseKeySet: what an application serves at its -jwks-url, and
// what tests sign against. keys maps each kid to its key.
func MarshalKeySet(keys map[string]crypto.PublicKey) ([]byte, error) {
	doc := struct {
		Keys []map[string]string `json:"keys"`
	}{Keys: []map[string]string{}}
	for kid, key := range keys {
		k, err := jwkJSON(kid, key)
		if err != nil {
			return nil, err
		}
		doc.Keys = append(doc.Keys, k)
	}
	return json.Marshal(doc)
}

func jwkJSON(kid string, key crypto.PublicKey) (map[string]string, error) {
	enc := base64.RawURLEncoding.EncodeToString
	k := map[string]string{"kid": kid, "use": "sig"}
	switch key := key.(type) {
	case *rsa.PublicKey:
		k["kty"], k["n"], k["e"] = "RSA", enc(key.N.Bytes()), enc(big.NewInt(int64(key.E)).Bytes())
	case *ecdsa.PublicKey:
		size := (key.Curve.Params().BitSize + 7) / 8
		raw, err := key.Bytes() // 0x04 || x || y, each padded to size
		if err != nil {
			return nil, err
		}
		k["kty"], k["crv"], k["x"], k["y"] = "EC", key.Curve.Params().Name, enc(raw[1:1+size]), enc(raw[1+size:])
	case ed25519.PublicKey:
		k["kty"], k["crv"], k["x"] = "OKP", "Ed25519", enc(key)
	default:
		return nil, fmt.Errorf("wsc: no JWK for a %T", key)
	}
	return k, nil
}
