package main

import (
	"log"
	"os"
	"os/signal"
	"syscall"
)

// reloadable is something read again on SIGHUP.
type reloadable struct {
	what   string
	reload func() error
}

// reloadOnSIGHUP reads each of rs again on each SIGHUP until the returned
// stop is called (which waits for its goroutine to end). With nothing to
// reload it does not catch SIGHUP at all.
func reloadOnSIGHUP(logger *log.Logger, rs ...reloadable) (stop func()) {
	if len(rs) == 0 {
		return func() {}
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	done, quit := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-hup:
				for _, r := range rs {
					if err := r.reload(); err != nil {
						logger.Printf("wsc-server: SIGHUP: keeping the %s in use: %v", r.what, err)
					} else {
						logger.Printf("wsc-server: SIGHUP: %s reloaded", r.what)
					}
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
