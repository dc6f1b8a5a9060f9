package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// TestMain runs the tests, or, when the test binary is started again by a
// test with WSC_TEST_MAIN set, wsc-server's own main with the arguments of
// that variable: the real process, without a separate build.
func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv("WSC_TEST_MAIN"); ok {
		os.Args = append([]string{"wsc-server"}, strings.Fields(args)...)
		main()
		os.Exit(0)
	}
	// net/http lingers 500 ms after half-closing a connection it answered
	// with an error (RST avoidance), on a goroutine Server.Close does not
	// wait for: the bounded listener's connections support that half-close.
	goleak.VerifyTestMain(noDataDir{m}, goleak.IgnoreAnyFunction("net/http.(*conn).closeWriteAndWait"))
}

// noDataDir fails the run when a test left the default data directory,
// ./wsc-data, in the package's folder: tests run with -memory (or a
// serverConfig without Data) or a t.TempDir(), never on a shared directory
// whose state would leak from one run into the next.
type noDataDir struct{ m *testing.M }

func (n noDataDir) Run() int {
	code := n.m.Run()
	if _, err := os.Stat("wsc-data"); err == nil {
		fmt.Fprintln(os.Stderr, "FAIL: a test opened ./wsc-data: give it -memory or a -data-dir in t.TempDir()")
		_ = os.RemoveAll("wsc-data")
		code = 1
	}
	return code
}
