package main

import (
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
	goleak.VerifyTestMain(m)
}
