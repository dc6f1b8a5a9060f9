package load

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Two senders half a period apart stay half a period apart after their
// first send: the offset is not only the first message's.
func TestPacedSendersKeepTheirOffsets(t *testing.T) {
	const every = 200 * time.Millisecond
	deadline := time.Now().Add(10 * time.Second)
	third := func(i int, at chan<- time.Time) {
		p := newPacer(float64(time.Second/every), i, 2)
		defer p.stop()
		for range 3 {
			if !p.wait(deadline) {
				return
			}
		}
		at <- time.Now()
	}
	a, b := make(chan time.Time, 1), make(chan time.Time, 1)
	go third(0, a)
	go third(1, b)
	gap := (<-b).Sub(<-a)
	// half a period (100 ms) apart; the senders of old sent their third
	// message together (a gap near 0). The bounds leave a loaded machine's
	// timers 50 ms either way.
	assert.Greater(t, gap, every/4, "the second sender's offset was lost after its first send")
	assert.Less(t, gap, 3*every/4)
}
