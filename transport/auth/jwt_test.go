package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

func claims(sub string, extra jwt.MapClaims) jwt.MapClaims {
	c := jwt.MapClaims{"sub": sub, "exp": time.Now().Add(time.Hour).Unix()}
	for k, v := range extra {
		c[k] = v
	}
	return c
}

func sign(t *testing.T, m jwt.SigningMethod, key any, kid string, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	require.NoError(t, err)
	return s
}

func request(token string) *http.Request {
	r := httptest.NewRequest("GET", "/ws?token="+token, nil)
	return r
}

func TestTokensHS256Claims(t *testing.T) {
	v, err := NewTokens(TokenOptions{Secret: secret, Audience: "wsc", Issuer: "https://id.example", TicketsClaim: "groups"})
	require.NoError(t, err)
	tok := sign(t, jwt.SigningMethodHS256, secret, "", claims("ann", jwt.MapClaims{
		"aud": []string{"other", "wsc"}, "iss": "https://id.example", "user_type": "agent", "groups": []string{"T-1", "T-2"}}))
	r := request(tok + "&conn_id=phone")
	id, err := v.Authenticate(r)
	require.NoError(t, err)
	assert.Equal(t, "ann", id.UserID)
	assert.Equal(t, protocol.UserTypeAgent, id.UserType)
	assert.Equal(t, protocol.RoleAgent, id.Role)
	assert.Equal(t, []string{"T-1", "T-2"}, id.Tickets)
	assert.Equal(t, "phone", id.ConnID)
	assert.Equal(t, "true", id.Metadata[MetaTicketsClaim])
	require.NotNil(t, id.Credential)
	assert.WithinDuration(t, time.Now().Add(time.Hour), id.Credential.Expires, 2*time.Second)

	// Renew: the same user's newer token moves the expiry; another user's is refused.
	exp, err := id.Credential.Renew(sign(t, jwt.SigningMethodHS256, secret, "", jwt.MapClaims{
		"sub": "ann", "aud": "wsc", "iss": "https://id.example", "exp": time.Now().Add(2 * time.Hour).Unix()}))
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now().Add(2*time.Hour), exp, 2*time.Second)
	_, err = id.Credential.Renew(sign(t, jwt.SigningMethodHS256, secret, "", jwt.MapClaims{
		"sub": "bob", "aud": "wsc", "iss": "https://id.example", "exp": time.Now().Add(2 * time.Hour).Unix()}))
	assert.ErrorIs(t, err, ErrOtherUser)
}

// TestTokensRefused: every way a token can be wrong is refused.
func TestTokensRefused(t *testing.T) {
	v, err := NewTokens(TokenOptions{Secret: secret, Audience: "wsc", Issuer: "iss"})
	require.NoError(t, err)
	good := claims("ann", jwt.MapClaims{"aud": "wsc", "iss": "iss"})
	valid := sign(t, jwt.SigningMethodHS256, secret, "", good)
	parts := strings.Split(valid, ".")
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"root","aud":"wsc","iss":"iss","exp":99999999999}`)) + "." + parts[2]
	none := sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, "", good)
	with := func(k string, val any) jwt.MapClaims {
		c := claims("ann", jwt.MapClaims{"aud": "wsc", "iss": "iss"})
		if val == nil {
			delete(c, k)
		} else {
			c[k] = val
		}
		return c
	}
	for name, tok := range map[string]string{
		"alg none":       none,
		"wrong key":      sign(t, jwt.SigningMethodHS256, []byte("another secret of at least 32 bytes!"), "", good),
		"tampered":       tampered,
		"wrong audience": sign(t, jwt.SigningMethodHS256, secret, "", with("aud", "other")),
		"no audience":    sign(t, jwt.SigningMethodHS256, secret, "", with("aud", nil)),
		"wrong issuer":   sign(t, jwt.SigningMethodHS256, secret, "", with("iss", "evil")),
		"expired":        sign(t, jwt.SigningMethodHS256, secret, "", with("exp", time.Now().Add(-time.Second).Unix())),
		"no exp":         sign(t, jwt.SigningMethodHS256, secret, "", with("exp", nil)),
		"not yet":        sign(t, jwt.SigningMethodHS256, secret, "", with("nbf", time.Now().Add(time.Hour).Unix())),
		"no sub":         sign(t, jwt.SigningMethodHS256, secret, "", with("sub", nil)),
		"long sub":       sign(t, jwt.SigningMethodHS256, secret, "", with("sub", strings.Repeat("x", MaxIDBytes+1))),
		"bad user type":  sign(t, jwt.SigningMethodHS256, secret, "", with("user_type", "alien")),
		"numeric role":   sign(t, jwt.SigningMethodHS256, secret, "", with("role", 7)),
		"RS256, no keys": sign(t, jwt.SigningMethodRS256, rsaKey2048(t), "", good),
		"garbage":        "not.a.token",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := v.Authenticate(request(tok))
			require.Error(t, err)
		})
	}
	_, err = v.Authenticate(httptest.NewRequest("GET", "/ws", nil))
	assert.ErrorIs(t, err, ErrNoToken)
	_, err = NewTokens(TokenOptions{Secret: []byte("short")})
	assert.Error(t, err, "a short secret is refused")
	_, err = NewTokens(TokenOptions{})
	assert.Error(t, err)
}

var rsaKeyCache *rsa.PrivateKey

func rsaKey2048(t testing.TB) *rsa.PrivateKey {
	if rsaKeyCache == nil {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		require.NoError(t, err)
		rsaKeyCache = k
	}
	return rsaKeyCache
}

// TestKeySetAlgorithms: RS256, ES256, ES384 and EdDSA verify with their JWKS
// keys, and a key cannot be used for another algorithm's token.
func TestKeySetAlgorithms(t *testing.T) {
	rk := rsaKey2048(t)
	e256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	e384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	edPub, edPriv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	doc, err := MarshalKeySet(map[string]crypto.PublicKey{"r": &rk.PublicKey, "e256": &e256.PublicKey, "e384": &e384.PublicKey, "ed": edPub})
	require.NoError(t, err)
	set, err := ParseKeySet(doc)
	require.NoError(t, err)
	assert.Equal(t, 4, set.Len())
	v, err := NewTokens(TokenOptions{Keys: set})
	require.NoError(t, err)

	for name, tok := range map[string]string{
		"RS256":        sign(t, jwt.SigningMethodRS256, rk, "r", claims("ann", nil)),
		"PS256":        sign(t, jwt.SigningMethodPS256, rk, "r", claims("ann", nil)),
		"ES256":        sign(t, jwt.SigningMethodES256, e256, "e256", claims("ann", nil)),
		"ES384":        sign(t, jwt.SigningMethodES384, e384, "e384", claims("ann", nil)),
		"EdDSA":        sign(t, jwt.SigningMethodEdDSA, edPriv, "ed", claims("ann", nil)),
		"EdDSA no kid": sign(t, jwt.SigningMethodEdDSA, edPriv, "", claims("ann", nil)),
	} {
		_, err := v.Authenticate(request(tok))
		assert.NoError(t, err, name)
	}
	for name, tok := range map[string]string{
		"ES256 under the P-384 kid": sign(t, jwt.SigningMethodES256, e256, "e384", claims("ann", nil)),
		"unknown kid":               sign(t, jwt.SigningMethodRS256, rk, "gone", claims("ann", nil)),
		"HS256 with no secret":      sign(t, jwt.SigningMethodHS256, secret, "r", claims("ann", nil)),
		// the classic confusion: the RSA public key used as an HMAC secret
		"HS256 keyed by the public key": sign(t, jwt.SigningMethodHS256, rk.PublicKey.N.Bytes(), "r", claims("ann", nil)),
	} {
		_, err := v.Authenticate(request(tok))
		assert.Error(t, err, name)
	}
}

func TestParseKeySetRefusals(t *testing.T) {
	for name, doc := range map[string]string{
		"not JSON":        `{`,
		"no keys":         `{"keys": []}`,
		"only encryption": `{"keys": [{"kty":"RSA","use":"enc","n":"AQAB","e":"AQAB"}]}`,
		"small RSA":       `{"keys": [{"kty":"RSA","n":"AQAB","e":"AQAB"}]}`,
		"unknown curve":   `{"keys": [{"kty":"EC","crv":"P-192","x":"AA","y":"AA"}]}`,
		"off the curve":   `{"keys": [{"kty":"EC","crv":"P-256","x":"` + strings.Repeat("A", 43) + `","y":"` + strings.Repeat("A", 43) + `"}]}`,
		"short Ed25519":   `{"keys": [{"kty":"OKP","crv":"Ed25519","x":"AAAA"}]}`,
	} {
		_, err := ParseKeySet([]byte(doc))
		assert.Error(t, err, name)
	}
}

// TestRemoteKeysRotation: a token signed with a key added to the JWKS after
// the start is accepted once the set is fetched again for its unknown kid;
// a second unknown kid within MinRefetch does not fetch again.
func TestRemoteKeysRotation(t *testing.T) {
	old, next := rsaKey2048(t), mustEd(t)
	docs := make(chan []byte, 1)
	current := mustSet(t, map[string]crypto.PublicKey{"old": &old.PublicKey})
	var fetches atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		select {
		case d := <-docs:
			current = d
		default:
		}
		fetches.Add(1)
		_, _ = w.Write(current)
	}))
	defer srv.Close()

	keys, err := NewRemoteKeys(context.Background(), srv.URL, RemoteKeysOptions{MinRefetch: time.Nanosecond, Refresh: time.Hour})
	require.NoError(t, err)
	defer keys.Close()
	v, err := NewTokens(TokenOptions{Keys: keys})
	require.NoError(t, err)

	_, err = v.Authenticate(request(sign(t, jwt.SigningMethodRS256, old, "old", claims("ann", nil))))
	require.NoError(t, err)
	docs <- mustSet(t, map[string]crypto.PublicKey{"old": &old.PublicKey, "new": next.Public()})
	_, err = v.Authenticate(request(sign(t, jwt.SigningMethodEdDSA, next, "new", claims("ann", nil))))
	require.NoError(t, err, "the unknown kid made a fetch")
	assert.Equal(t, int32(2), fetches.Load())

	// Renewal on a session's mailbox never fetches.
	id, err := v.Authenticate(request(sign(t, jwt.SigningMethodEdDSA, next, "new", claims("ann", nil))))
	require.NoError(t, err)
	_, err = id.Credential.Renew(sign(t, jwt.SigningMethodEdDSA, next, "other-kid", claims("ann", nil)))
	assert.ErrorIs(t, err, ErrNoKey)
	assert.Equal(t, int32(2), fetches.Load())

	_, err = NewRemoteKeys(context.Background(), srv.URL+"/404", RemoteKeysOptions{})
	assert.Error(t, err, "a first fetch that fails stops the start")
}

func mustEd(t *testing.T) ed25519.PrivateKey {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	return k
}

func mustSet(t *testing.T, keys map[string]crypto.PublicKey) []byte {
	d, err := MarshalKeySet(keys)
	require.NoError(t, err)
	return d
}

// TestTokenFrom: the header first, then a subprotocol entry, then the query.
func TestTokenFrom(t *testing.T) {
	r := httptest.NewRequest("GET", "/ws?token=q", nil)
	assert.Equal(t, "q", TokenFrom(r))
	r.Header.Set("Sec-WebSocket-Protocol", "wsc, bearer.p")
	assert.Equal(t, "p", TokenFrom(r))
	assert.Equal(t, "wsc", AnswerSubprotocol(r))
	r.Header.Set("Authorization", "Bearer h")
	assert.Equal(t, "h", TokenFrom(r))

	r = httptest.NewRequest("GET", "/ws", nil)
	r.Header.Set("Sec-WebSocket-Protocol", "bearer.p")
	assert.Equal(t, "bearer.p", AnswerSubprotocol(r), "the only entry offered is the one answered")
	assert.Equal(t, "", AnswerSubprotocol(httptest.NewRequest("GET", "/ws", nil)))
}
