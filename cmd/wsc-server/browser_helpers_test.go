package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// browserWait bounds each wait for something to show in a page.
const browserWait = 10 * time.Second

// chromiumPath finds Debian's chromium (or WSC_CHROMIUM). Without one the
// test fails, so that a CI run without a browser cannot pass by skipping;
// WSC_SKIP_BROWSER=1 is the explicit way out.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if os.Getenv("WSC_SKIP_BROWSER") == "1" {
		t.Skip("WSC_SKIP_BROWSER=1: the browser test is skipped")
	}
	for _, name := range []string{os.Getenv("WSC_CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("chromium not found: install it (apt-get update && apt-get install -y chromium, as .ci/run does), " +
		"or set WSC_CHROMIUM to a Chromium binary, or WSC_SKIP_BROWSER=1 to skip the browser test")
	return ""
}

// browser is one headless Chromium; each page is a tab of it.
type browser struct {
	t   *testing.T
	ctx context.Context
}

// newBrowser starts Chromium with the flags a root user on a closed network
// needs (.library/env/machines/go.md): no sandbox, no GPU, no background
// networking, no component updates, no sync, no QUIC. chromedp makes a fresh
// temporary user-data-dir and removes it when the browser has exited. Both
// the browser and its allocator are stopped before the test returns, which is
// what goleak checks.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		// Background tabs must keep their timers: every page here polls.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		closeCtx, done := context.WithTimeout(ctx, 10*time.Second)
		defer done()
		_ = chromedp.Cancel(closeCtx) // closes the browser gracefully and waits for it
		cancel()
		cancelAlloc() // waits for the process
	})
	require.NoError(t, chromedp.Do(ctx), "start chromium")
	return &browser{t: t, ctx: ctx}
}

// page is one tab. Its methods take the *testing.T of the (sub)test that
// uses it, so that a failure stops that test.
type page struct {
	name   string
	ctx    context.Context
	thrown *thrown
}

// thrown collects a tab's uncaught JavaScript exceptions; the listener that
// adds to it runs on chromedp's goroutine.
type thrown struct {
	mu   sync.Mutex
	list []string
}

// open opens url in a new tab. Uncaught JavaScript exceptions fail the test.
func (b *browser) open(name, url string) *page {
	b.t.Helper()
	p := &page{name: name, thrown: &thrown{}}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithListener(func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			p.thrown.mu.Lock()
			p.thrown.list = append(p.thrown.list, describeException(e.ExceptionDetails))
			p.thrown.mu.Unlock()
		}
	}))
	b.t.Cleanup(func() {
		cancel()
		p.thrown.mu.Lock()
		defer p.thrown.mu.Unlock()
		if len(p.thrown.list) > 0 {
			b.t.Errorf("%s: JavaScript exceptions: %v", name, p.thrown.list)
		}
	})
	p.ctx = ctx
	// The tab lives as long as the context of its first Run: this one, not
	// one of the bounded contexts of later actions.
	require.NoError(b.t, chromedp.Do(ctx), "%s: open a tab", name)
	p.do(b.t, chromedp.Navigate(url))
	return p
}

// do runs actions, bounded by browserWait.
func (p *page) do(t *testing.T, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, browserWait)
	defer cancel()
	require.NoError(t, chromedp.Do(ctx, actions...), p.name)
}

// eval returns the value of a JavaScript expression.
func eval[T any](t *testing.T, p *page, expr string) T {
	t.Helper()
	return runOn(t, p, chromedp.Evaluate[T](expr))
}

// runOn runs one action that returns a value, bounded by browserWait.
func runOn[T any](t *testing.T, p *page, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, browserWait)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	require.NoError(t, err, p.name)
	return v
}

// waitFor waits until a JavaScript expression is truthy. On a timeout it
// says what the page showed: its connection state and its banner.
func (p *page) waitFor(t *testing.T, what, expr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, browserWait)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(browserWait)))
	if err != nil {
		shown := eval[string](t, p, `document.getElementById('conn-state').textContent + ' | banner: ' + document.getElementById('banner-text').textContent +
			' | last messages: ' + [...document.querySelectorAll('#log .msg')].slice(-3).map(e => e.textContent).join(' / ')`)
		t.Fatalf("%s: waiting for %s: %v (page shows: %s)", p.name, what, err, shown)
	}
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func (p *page) waitConnected(t *testing.T) {
	t.Helper()
	p.waitFor(t, "connected", `document.getElementById('conn-state').dataset.state === 'on'`)
}

// send fills the composer and clicks Send, as a user would.
func (p *page) send(t *testing.T, kind, target, content string, requireAck bool) {
	t.Helper()
	p.do(t,
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			const k = document.getElementById('target-kind');
			k.value = %s;
			k.dispatchEvent(new Event('change'));
			document.getElementById('require-ack').checked = %t;
			document.getElementById('target').value = ''; // chromedp.Clear empties the attribute only
		})()`, js(kind), requireAck)),
		chromedp.SendKeys(chromedp.ID("target"), target),
		chromedp.SendKeys(chromedp.ID("content"), content),
		chromedp.Click(chromedp.ID("send")),
	)
}

// sentDelivery is the JavaScript for the delivery shown for the sent message
// with content.
func sentDelivery(content string) string {
	return fmt.Sprintf(`(() => { const e = [...document.querySelectorAll('#log .msg.out')].find(e => e.dataset.content === %s);
		return e ? e.querySelector('.status').dataset.delivery : ''; })()`, js(content))
}

func (p *page) waitDelivery(t *testing.T, content, delivery string) {
	t.Helper()
	p.waitFor(t, fmt.Sprintf("%q to show %s", content, delivery), sentDelivery(content)+` === `+js(delivery))
}

// received is the JavaScript that finds the incoming message with content.
func received(content string) string {
	return fmt.Sprintf(`[...document.querySelectorAll('#log .msg.in')].find(e => e.dataset.content === %s)`, js(content))
}

func (p *page) waitReceived(t *testing.T, content, from string) {
	t.Helper()
	p.waitFor(t, fmt.Sprintf("%q from %s", content, from), fmt.Sprintf(`(%s || {dataset: {}}).dataset.from === %s`, received(content), js(from)))
}

func describeException(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "?"
	}
	s := fmt.Sprintf("%s at %s:%d:%d", d.Text, d.URL, d.LineNumber+1, d.ColumnNumber+1)
	if d.Exception != nil && d.Exception.Description != "" {
		s += ": " + d.Exception.Description
	}
	return s
}
