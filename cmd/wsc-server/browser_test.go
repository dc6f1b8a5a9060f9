package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConsoleInBrowser drives the console page in headless Chromium: a
// customer and an agent chat both ways over WebSocket, acks (auto and manual)
// reach the sender's page, a third page on SSE gets a ticket message and acks
// over the SSE POST path, a server error is shown, a screenshot is taken, a
// message to an offline user is retried from the records table and delivered
// when the user signs in, a reload resumes after the last message seen, and
// after a server restart every page reconnects by itself. The subtests share
// one browser and run in order: each builds on the pages before it.
func TestConsoleInBrowser(t *testing.T) {
	chromiumPath(t) // fail (or skip, with WSC_SKIP_BROWSER=1) before starting anything
	live := startLive(t, serverConfig{DevIdentity: true, Console: true})
	b := newBrowser(t) // cleaned up before the server: the browser goes first

	alice := b.open("alice", live.URL()+"/?user_id=alice&user_type=customer&tickets=T-1&connect=1")
	bob := b.open("bob", live.URL()+"/?user_id=bob&user_type=agent&tickets=T-1&connect=1")
	alice.waitConnected(t)
	bob.waitConnected(t)

	t.Run("WebSocketBothWays", func(t *testing.T) {
		alice.send(t, "user", "bob", "hello bob, my order is late", false)
		bob.waitReceived(t, "hello bob, my order is late", "alice")
		alice.waitDelivery(t, "hello bob, my order is late", "delivered")

		bob.send(t, "user", "alice", "hi alice, let me check", false)
		alice.waitReceived(t, "hi alice, let me check", "bob")
		bob.waitDelivery(t, "hi alice, let me check", "delivered")
	})

	t.Run("AckShowsAcknowledged", func(t *testing.T) {
		alice.send(t, "user", "bob", "auto ack please", true)
		bob.waitReceived(t, "auto ack please", "alice")
		alice.waitDelivery(t, "auto ack please", "acknowledged")

		// Manual mode: the message waits with an Ack button, and the sender
		// sees it delivered, not acknowledged, until the button is clicked.
		bob.do(t, chromedp.Click(chromedp.CSS(`input[name=ack][value=manual]`)))
		alice.send(t, "user", "bob", "manual ack please", true)
		bob.waitFor(t, "an Ack button", received("manual ack please")+`?.classList.contains('needs-ack')`)
		alice.waitDelivery(t, "manual ack please", "delivered")
		bob.do(t, chromedp.Evaluate[chromedp.Void](received("manual ack please")+`.querySelector('.ack-btn').click()`))
		alice.waitDelivery(t, "manual ack please", "acknowledged")

		// The hub's AckObserver fed the metrics.
		require.Eventually(t, func() bool {
			return bytes.Contains(get(t, live.URL()+"/metrics"), []byte(`wsc_acks_total{result="acknowledged"} 2`))
		}, browserWait, 20*time.Millisecond)
	})

	t.Run("SSEReceivesTicketMessage", func(t *testing.T) {
		carol := b.open("carol", live.URL()+"/?user_id=carol&user_type=agent&tickets=T-1&transport=sse&connect=1")
		carol.waitConnected(t)
		assert.Contains(t, eval[string](t, carol, `document.getElementById('conn-state').textContent`), "SSE")

		alice.send(t, "ticket", "T-1", "ticket T-1: refund approved", false)
		carol.waitReceived(t, "ticket T-1: refund approved", "alice")
		bob.waitReceived(t, "ticket T-1: refund approved", "alice")

		// Carol acks over the SSE POST path.
		alice.send(t, "user", "carol", "carol, ack over SSE", true)
		carol.waitReceived(t, "carol, ack over SSE", "alice")
		alice.waitDelivery(t, "carol, ack over SSE", "acknowledged")
	})

	t.Run("AutoTransport", func(t *testing.T) {
		// auto: the package tries a WebSocket first, which works here.
		erin := b.open("erin", live.URL()+"/?user_id=erin&user_type=customer&transport=auto&connect=1")
		erin.waitConnected(t)
		assert.Contains(t, eval[string](t, erin, `document.getElementById('conn-state').textContent`), "over WebSocket")
		alice.send(t, "user", "erin", "hello erin", false)
		erin.waitReceived(t, "hello erin", "alice")
		erin.do(t, chromedp.Click(chromedp.ID("disconnect")))
		erin.waitFor(t, "signed out", `document.getElementById('conn-state').dataset.state === 'off'`)
	})

	t.Run("ServerErrorIsShown", func(t *testing.T) {
		alice.send(t, "ticket", "no-such-ticket", "anyone there?", false)
		alice.waitFor(t, "the error banner", `!document.getElementById('banner').hidden &&
			document.getElementById('banner-text').textContent.includes('ticket not found')`)
		alice.waitDelivery(t, "anyone there?", "error")
	})

	t.Run("Screenshot", func(t *testing.T) {
		// Let the polled panels fill in: the records table and the online list.
		alice.waitFor(t, "records", `document.querySelectorAll('#records tbody tr').length >= 5`)
		alice.waitFor(t, "online users", `document.querySelectorAll('#users .chip').length === 3`)
		png := runOn(t, alice, chromedp.FullScreenshot(100))
		path := filepath.Join(t.TempDir(), "console.png")
		require.NoError(t, os.WriteFile(path, png, 0o644))
		info, err := os.Stat(path)
		require.NoError(t, err)
		assert.Greater(t, info.Size(), int64(10<<10), "a screenshot of the console is more than 10 KB")
		t.Logf("screenshot: %s (%d bytes)", path, info.Size())
		if dir := os.Getenv("WSC_SCREENSHOT_DIR"); dir != "" { // to look at it after the test
			require.NoError(t, os.WriteFile(filepath.Join(dir, "console.png"), png, 0o644))
		}
	})

	t.Run("OfflineRetryThenDelivered", func(t *testing.T) {
		alice.send(t, "user", "dave", "are you there, dave?", false)
		alice.waitDelivery(t, "are you there, dave?", "offline")

		alice.do(t, chromedp.Evaluate[chromedp.Void](`(() => {
			const f = document.getElementById('rec-filter');
			f.value = 'retryable';
			f.dispatchEvent(new Event('change'));
		})()`))
		row := `[...document.querySelectorAll('#records tbody tr')].find(tr => tr.textContent.includes('are you there, dave?'))`
		alice.waitFor(t, "a Retry button", row+`?.querySelector('.retry-btn')`)
		alice.do(t, chromedp.Evaluate[chromedp.Void](row+`.querySelector('.retry-btn').click()`))
		alice.waitFor(t, "the retry's answer", `document.getElementById('banner').dataset.kind === 'info' &&
			document.getElementById('banner-text').textContent.includes('still offline')`)

		// Dave signs in: the stored message comes first, and the sender's
		// page follows it from offline to delivered.
		dave := b.open("dave", live.URL()+"/?user_id=dave&user_type=customer&connect=1")
		dave.waitReceived(t, "are you there, dave?", "alice")
		alice.waitDelivery(t, "are you there, dave?", "delivered")
	})

	t.Run("ReloadResumes", func(t *testing.T) {
		// The tab keeps the last id it saw; a reload resumes after it. Set
		// back to the first message bob got, it brings back what came after
		// (from the hub's recent buffer), and not that one.
		first := eval[string](t, bob, received("hello bob, my order is late")+`.dataset.id`)
		require.NotEmpty(t, first)
		last := eval[string](t, bob, `sessionStorage.getItem('wsc.resume.bob')`)
		assert.NotEqual(t, first, last, "the resume point moved on with each message")
		bob.do(t, chromedp.Evaluate[chromedp.Void](`sessionStorage.setItem('wsc.resume.bob', `+js(first)+`)`), chromedp.Reload())
		bob.waitConnected(t)
		bob.waitReceived(t, "auto ack please", "alice")
		assert.False(t, eval[bool](t, bob, `!!`+received("hello bob, my order is late")), "the resume point itself is not sent again")
	})

	t.Run("ReconnectsAfterRestart", func(t *testing.T) {
		live.restart()
		// A new hub knows nobody: the users are back only if their pages
		// reconnected by themselves.
		require.Eventually(t, func() bool {
			users, err := live.onlineUsers()
			return err == nil && slices.Equal(users, []string{"alice", "bob", "carol", "dave"})
		}, browserWait, 20*time.Millisecond)
		alice.waitConnected(t)
		alice.send(t, "user", "bob", "still there after the restart?", false)
		bob.waitReceived(t, "still there after the restart?", "alice")
	})
}

func get(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return body
}
