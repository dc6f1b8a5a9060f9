package main

import (
	"log"
	"os"
	"os/signal"
	"syscall"
)

// reloadOnSIGHUP reads the certificate pair again on each SIGHUP until the
// returned stop is called (which waits for its goroutine to end).
func reloadOnSIGHUP(certs *certReloader, logger *log.Logger) (stop func()) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	done, quit := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-hup:
				if err := certs.Reload(); err != nil {
					logger.Printf("wsc-server: SIGHUP: keeping the certificate in use: %v", err)
				} else {
					logger.Printf("wsc-server: SIGHUP: certificate reloaded from %s", certs.certFile)
				}
			case <-quit:
				return
			}
		}
	}()
	return func() {
		signal.Stop(hup)
		close(quit)
		<-done
	}
}
