package bolt_test

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if crashChild() { // the crash test's child process: never returns
		return
	}
	goleak.VerifyTestMain(m)
}
