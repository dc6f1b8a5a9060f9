package auth

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// RemoteKeys is a JWKS fetched from a URL and kept fresh: once by
// NewRemoteKeys (whose error stops a server that would refuse every token),
// again every Refresh by its own goroutine, and at once when a connecting
// client's token names a kid the set lacks (a rotated key), at most once per
// MinRefetch. A failed fetch keeps the set it had. Close stops the goroutine.
//
// The set is swapped whole (an atomic pointer): readers on any goroutine see
// the old one or the new one, never a mix.
type RemoteKeys struct {
	url    string
	opts   RemoteKeysOptions
	set    atomic.Pointer[KeySet]
	last   atomic.Int64 // when the last fetch began, in Unix nanoseconds
	ctx    context.Context
	cancel context.CancelFunc // Close: ends the refresher and a fetch in flight
	done   chan struct{}
}

// RemoteKeysOptions tune a RemoteKeys; zero values mean the defaults given.
type RemoteKeysOptions struct {
	// Client fetches the set; nil: a client with a 10 s timeout.
	Client *http.Client
	// Refresh is the interval between fetches; zero: 5 minutes.
	Refresh time.Duration
	// MinRefetch is the least time between two fetches for an unknown kid;
	// zero: 30 s. It keeps clients with made-up kids from hammering the URL.
	MinRefetch time.Duration
	// MaxBytes bounds the document; zero: 1 MiB.
	MaxBytes int64
}

// NewRemoteKeys fetches the JWKS at url and starts keeping it fresh.
func NewRemoteKeys(ctx context.Context, url string, opts RemoteKeysOptions) (*RemoteKeys, error) {
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if opts.Refresh <= 0 {
		opts.Refresh = 5 * time.Minute
	}
	if opts.MinRefetch <= 0 {
		opts.MinRefetch = 30 * time.Second
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = 1 << 20
	}
	k := &RemoteKeys{url: url, opts: opts, done: make(chan struct{})}
	if err := k.fetch(ctx); err != nil {
		return nil, err
	}
	k.ctx, k.cancel = context.WithCancel(context.Background())
	go k.keepFresh()
	return k, nil
}

// Key finds a key in the current set, with no I/O (see KeySet.Key).
func (k *RemoteKeys) Key(kid, alg string) (crypto.PublicKey, error) {
	return k.set.Load().Key(kid, alg)
}

// KeyOrFetch is Key, and when the token names a kid the set lacks, one fetch
// (unless one began less than MinRefetch ago) and a second look. It runs on
// the caller's goroutine and waits at most until ctx ends.
func (k *RemoteKeys) KeyOrFetch(ctx context.Context, kid, alg string) (crypto.PublicKey, error) {
	key, err := k.Key(kid, alg)
	if err == nil || kid == "" || !errors.Is(err, ErrNoKey) {
		return key, err
	}
	last := k.last.Load()
	if time.Since(time.Unix(0, last)) < k.opts.MinRefetch || !k.last.CompareAndSwap(last, time.Now().UnixNano()) {
		return nil, err // fetched lately, or another caller is fetching now
	}
	if ferr := k.get(ctx); ferr != nil {
		return nil, errors.Join(err, ferr)
	}
	return k.Key(kid, alg)
}

// Close stops the refreshing goroutine and waits for it. Idempotent.
func (k *RemoteKeys) Close() {
	k.cancel()
	<-k.done
}

func (k *RemoteKeys) keepFresh() {
	defer close(k.done)
	t := time.NewTicker(k.opts.Refresh)
	defer t.Stop()
	for {
		select {
		case <-k.ctx.Done():
			return
		case <-t.C:
			_ = k.fetch(k.ctx) // a failed fetch keeps the old set until the next one
		}
	}
}

// fetch records the attempt and gets the set.
func (k *RemoteKeys) fetch(ctx context.Context) error {
	k.last.Store(time.Now().UnixNano())
	return k.get(ctx)
}

func (k *RemoteKeys) get(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, k.url, nil)
	if err != nil {
		return fmt.Errorf("wsc: JWKS URL: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := k.opts.Client.Do(req)
	if err != nil {
		return fmt.Errorf("wsc: fetching the JWKS: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("wsc: fetching the JWKS %s: %s", k.url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, k.opts.MaxBytes+1))
	if err != nil {
		return fmt.Errorf("wsc: reading the JWKS: %w", err)
	}
	if int64(len(body)) > k.opts.MaxBytes {
		return fmt.Errorf("wsc: the JWKS is over %d bytes", k.opts.MaxBytes)
	}
	set, err := ParseKeySet(body)
	if err != nil {
		return err
	}
	k.set.Store(set)
	return nil
}
