package remote

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"testing"

	"go.uber.org/goleak"
)

// TestMain doubles as the served child: the tests start this test binary
// with -serve NAME -serve-addr ADDR, as wsc-bench starts itself.
func TestMain(m *testing.M) {
	if len(os.Args) == 5 && os.Args[1] == "-serve" && os.Args[3] == "-serve-addr" {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
		err := Serve(ctx, os.Args[2], os.Args[4], os.Stderr)
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	if wscBin.dir != "" {
		_ = os.RemoveAll(wscBin.dir)
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.Exit(code)
}
