package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"sync/atomic"
)

// certReloader serves the certificate of -tls-cert and -tls-key, read again
// on SIGHUP (a renewed certificate without a restart). A reload that fails
// keeps the certificate in use. The TLS handshakes of every connection read
// it (GetCertificate) while the signal goroutine may swap it: an atomic
// pointer, no lock.
type certReloader struct {
	certFile, keyFile string
	cert              atomic.Pointer[tls.Certificate]
}

func newCertReloader(certFile, keyFile string) (*certReloader, error) {
	r := &certReloader{certFile: certFile, keyFile: keyFile}
	return r, r.Reload()
}

// Reload reads the pair again; on error the old certificate stays.
func (r *certReloader) Reload() error {
	cert, err := tls.LoadX509KeyPair(r.certFile, r.keyFile)
	if err != nil {
		return fmt.Errorf("-tls-cert %s, -tls-key %s: %w", r.certFile, r.keyFile, err)
	}
	r.cert.Store(&cert)
	return nil
}

func (r *certReloader) getCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	return r.cert.Load(), nil
}

// tlsConfig is the server's TLS configuration: TLS 1.2 at least, HTTP/2 and
// HTTP/1.1 offered (SSE streams share one HTTP/2 connection; a WebSocket
// upgrade takes HTTP/1.1, as browsers do when the server does not offer
// extended CONNECT, which Go's does not by default).
func (r *certReloader) tlsConfig() *tls.Config {
	return &tls.Config{
		MinVersion:     tls.VersionTLS12,
		GetCertificate: r.getCertificate,
		NextProtos:     []string{"h2", "http/1.1"},
	}
}

// checkTLS refuses half a pair.
func (c serverConfig) checkTLS() error {
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return errors.New("-tls-cert and -tls-key go together")
	}
	return nil
}
