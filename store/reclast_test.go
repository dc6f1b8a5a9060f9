package store

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// isLast agrees with a plain map of every id: ids changed once (most, and
// some sharing a bit with others), ids changed several times, deletions
// among them; over several commits, as the writer reuses it.
func TestLastChangeOfEachID(t *testing.T) {
	var l lastChanges
	for round, n := range []int{0, 1, 7, 3000, 50, 3000} {
		var changes []recChange
		for i := range n {
			changes = append(changes, recChange{id: fmt.Sprint("r", round, "-", i)})
			if i%10 == 0 { // a tenth changed again, a while later
				changes = append(changes, recChange{id: fmt.Sprint("r", round, "-", i/2)})
			}
		}
		want := map[string]int{}
		for i, c := range changes {
			want[c.id] = i
		}
		l.mark(changes)
		kept := 0
		for i, c := range changes {
			assert.Equal(t, want[c.id] == i, l.isLast(changes, i), "round %d, change %d (%s)", round, i, c.id)
			if l.isLast(changes, i) {
				kept++
			}
		}
		assert.Equal(t, len(want), kept, "round %d", round)
	}
}
