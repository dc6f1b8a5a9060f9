package hub_test

import (
	"os"
	"testing"
)

// knownBug skips what follows unless WSC_KNOWN_BUGS=1: a check that fails
// today for a reason reported to the lead (docs/mutation.md), kept so that it
// runs again once fixed.
func knownBug(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("WSC_KNOWN_BUGS") != "1" {
		t.Skip("known bug (WSC_KNOWN_BUGS=1 runs it): " + what)
	}
}
