package load

import "time"

// pacer spaces one sender's messages rate per second apart, starting at an
// offset so that the senders do not all fire at once. A zero rate never waits.
//
// The ticker starts when the first send is due, so every later send keeps
// the sender's offset. (Until session 6 it started with the pacer: only the
// first send was offset, and from the second on all 1,000 clients of
// alone-paced sent in the same instant every 50 ms, so its p99 measured how
// long a hub took to drain a burst of 1,000 messages rather than latency at
// an even 20,000 msgs/s.)
type pacer struct {
	every time.Duration // zero: never wait
	first <-chan time.Time
	tick  *time.Ticker // from the first send on
	end   *time.Timer  // the deadline, made on the first wait
}

// newPacer paces sender i of n.
func newPacer(rate float64, i, n int) *pacer {
	if rate <= 0 {
		return &pacer{}
	}
	every := time.Duration(float64(time.Second) / rate)
	offset := every * time.Duration(i) / time.Duration(max(n, 1))
	return &pacer{every: every, first: time.After(offset)}
}

// wait blocks until the next send is due; false once deadline has passed.
func (p *pacer) wait(deadline time.Time) bool {
	if p.every == 0 {
		return true
	}
	if p.end == nil {
		p.end = time.NewTimer(time.Until(deadline))
	}
	due := p.first
	if p.tick != nil {
		due = p.tick.C
	}
	select {
	case <-due:
		if p.tick == nil {
			p.tick = time.NewTicker(p.every)
		}
		return true
	case <-p.end.C:
		return false
	}
}

func (p *pacer) stop() {
	if p.tick != nil {
		p.tick.Stop()
	}
	if p.end != nil {
		p.end.Stop()
	}
}
