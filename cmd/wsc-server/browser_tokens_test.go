package main

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConsoleWithTokensAndAPIKey drives the console against a server that
// checks tokens and guards its API with a key: the page asks for the key when
// the API answers 401 (and again after a wrong one, 403), keeps it for every
// tab of the site, and two users sign in with JWTs (the @go-wsc/client package
// sends them as a bearer subprotocol) and exchange an acknowledged message.
func TestConsoleWithTokensAndAPIKey(t *testing.T) {
	chromiumPath(t)
	const (
		secret = "the console test's secret, 32 bytes or more"
		key    = "console-test-api-key-0123456789"
	)
	live := startLive(t, serverConfig{Console: true, Tokens: tokenConfig{JWTSecret: secret}, APIKeys: listFlag{key}})
	b := newBrowser(t)
	token := func(sub string) string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
			"sub": sub, "exp": time.Now().Add(time.Hour).Unix(), "user_type": "agent",
		}).SignedString([]byte(secret))
		require.NoError(t, err)
		return s
	}
	keyForm := `!document.getElementById('api-key-form').hidden`

	ann := b.open("ann", live.URL()+"/")
	ann.waitFor(t, "the API key form (the API answered 401)", keyForm)
	ann.do(t, chromedp.SendKeys(chromedp.ID("api-key"), "not-the-key-but-long-enough"), chromedp.Click(chromedp.ID("api-key-save")))
	ann.waitFor(t, "the key refused (403)", keyForm+` && document.getElementById('banner-text').textContent.includes('refused the API key')`)
	ann.do(t, chromedp.SendKeys(chromedp.ID("api-key"), key), chromedp.Click(chromedp.ID("api-key-save")))
	ann.waitFor(t, "the stats (the API takes the key)", `document.querySelectorAll('#stats dt').length > 0`)

	annToken := token("ann")
	signInWithToken(t, ann, annToken)
	ann.waitConnected(t)
	assert.Contains(t, eval[string](t, ann, `document.getElementById('conn-state').textContent`), "connected as ann")

	// Another tab of the same site has the key already.
	ben := b.open("ben", live.URL()+"/")
	signInWithToken(t, ben, token("ben"))
	ben.waitConnected(t)
	assert.True(t, eval[bool](t, ben, `document.getElementById('api-key-form').hidden`), "no key asked in the second tab")

	ann.send(t, "user", "ben", "hello ben, signed with a token", true)
	ben.waitReceived(t, "hello ben, signed with a token", "ann")
	ann.waitDelivery(t, "hello ben, signed with a token", "acknowledged")

	// The address remembers the sign-in, not the token.
	href := eval[string](t, ann, `location.href`)
	assert.NotContains(t, href, annToken)
	assert.Contains(t, href, "auth=token")
}

// signInWithToken types a token into the sign-in form and connects.
func signInWithToken(t *testing.T, p *page, token string) {
	t.Helper()
	p.do(t, chromedp.SendKeys(chromedp.ID("token"), token), chromedp.Click(chromedp.ID("connect")))
}
