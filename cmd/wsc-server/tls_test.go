package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// makeCert writes a self-signed certificate for 127.0.0.1 named cn, and its
// key, to certFile and keyFile, and returns the certificate.
func makeCert(t *testing.T, cn, certFile, keyFile string) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Minute),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	kder, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600))
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cert
}

// syncBuffer is run's log output, read by the test while run writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestTLSServesHTTP2AndReloadsOnSIGHUP: with -tls-cert and -tls-key, run
// serves HTTPS; SSE streams over HTTP/2, WebSocket over TLS (HTTP/1.1); a
// SIGHUP makes new connections see the renewed certificate, and a broken
// pair on a later SIGHUP keeps the one in use.
func TestTLSServesHTTP2AndReloadsOnSIGHUP(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	first := makeCert(t, "first", certFile, keyFile)

	var out syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-dev-identity", "-memory", "-addr", "127.0.0.1:0", "-tls-cert", certFile, "-tls-key", keyFile}, &out)
	}()
	defer func() {
		cancel()
		require.NoError(t, <-done)
	}()
	listening := regexp.MustCompile(`listening on (127\.0\.0\.1:\d+): console at https://`)
	require.Eventually(t, func() bool { return listening.MatchString(out.String()) }, 10*time.Second, 10*time.Millisecond, out.String())
	addr := listening.FindStringSubmatch(out.String())[1]

	roots := x509.NewCertPool()
	roots.AddCert(first)
	client := func(roots *x509.CertPool) *http.Client {
		return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: roots}, ForceAttemptHTTP2: true, DisableKeepAlives: true}}
	}

	// SSE over HTTP/2.
	req, err := http.NewRequest("GET", "https://"+addr+"/sse?user_id=h2", nil)
	require.NoError(t, err)
	streamCtx, endStream := context.WithCancel(context.Background())
	defer endStream()
	resp, err := client(roots).Do(req.WithContext(streamCtx))
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, 2, resp.ProtoMajor, "SSE over HTTP/2")
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(line, "id:") || strings.HasPrefix(line, "event:"), line)

	// WebSocket over TLS.
	d := websocket.Dialer{TLSClientConfig: &tls.Config{RootCAs: roots}, HandshakeTimeout: 5 * time.Second}
	c, wresp, err := d.Dial("wss://"+addr+"/ws?user_id=tls", nil)
	require.NoError(t, err)
	wresp.Body.Close()
	require.NoError(t, c.WriteMessage(websocket.TextMessage, []byte(`{"type":"ping"}`)))
	assert.Equal(t, "pong", string(read(t, c).Type))
	c.Close()

	// A renewed certificate, then SIGHUP.
	second := makeCert(t, "second", certFile, keyFile)
	both := x509.NewCertPool()
	both.AddCert(first)
	both.AddCert(second)
	served := func() string {
		resp, err := client(both).Get("https://" + addr + "/healthz")
		if err != nil {
			return err.Error()
		}
		resp.Body.Close()
		return resp.TLS.PeerCertificates[0].Subject.CommonName
	}
	assert.Equal(t, "first", served(), "read at start, not on each handshake")
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGHUP))
	require.Eventually(t, func() bool { return served() == "second" }, 10*time.Second, 10*time.Millisecond)

	require.NoError(t, os.WriteFile(keyFile, []byte("not a key"), 0o600))
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGHUP))
	require.Eventually(t, func() bool { return strings.Contains(out.String(), "keeping the certificate "+certFile+" in use") }, 10*time.Second, 10*time.Millisecond)
	assert.Equal(t, "second", served())
}

// TestTLSHalfAPairIsRefused: one of -tls-cert and -tls-key without the other,
// or a pair that does not load, stops the start.
func TestTLSHalfAPairIsRefused(t *testing.T) {
	_, err := parseConfig([]string{"-tls-cert", "c.pem"}, io.Discard)
	require.ErrorContains(t, err, "go together")
	err = run(context.Background(), []string{"-dev-identity", "-memory", "-addr", "127.0.0.1:0", "-tls-cert", "nope.pem", "-tls-key", "nope.key"}, io.Discard)
	require.ErrorContains(t, err, "nope.pem")
}
