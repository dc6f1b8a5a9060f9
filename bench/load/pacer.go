package load

import "time"

// pacer spaces one sender's messages rate per second apart, starting at an
// offset so that the senders do not all fire at once. A zero rate never waits.
type pacer struct {
	tick  *time.Ticker
	first <-chan time.Time
	end   *time.Timer // the deadline, made on the first wait
}

// newPacer paces sender i of n.
func newPacer(rate float64, i, n int) *pacer {
	if rate <= 0 {
		return &pacer{}
	}
	every := time.Duration(float64(time.Second) / rate)
	offset := every * time.Duration(i) / time.Duration(max(n, 1))
	return &pacer{tick: time.NewTicker(every), first: time.After(offset)}
}

// wait blocks until the next send is due; false once deadline has passed.
func (p *pacer) wait(deadline time.Time) bool {
	if p.tick == nil {
		return true
	}
	if p.end == nil {
		p.end = time.NewTimer(time.Until(deadline))
	}
	due := p.tick.C
	if p.first != nil {
		due = p.first
	}
	select {
	case <-due:
		p.first = nil
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
