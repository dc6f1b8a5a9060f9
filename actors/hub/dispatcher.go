package hub

import "github.com/asynkron/protoactor-go/actor"

// ownGoroutine is the hub mailbox's dispatcher: one long-lived goroutine runs
// the mailbox whenever it has messages, where protoactor's default starts a
// goroutine for every run. The hub's mailbox goes idle between messages at a
// moderate rate (a paced load: most messages find it idle), and each new
// goroutine started with a small stack, which the hub's routing (the encoder
// under it) then grew by copying: newproc and copystack were ~5% of the
// server's CPU in alone-paced. A parked goroutine that is woken keeps its
// grown stack.
//
// protoactor schedules a mailbox only when it goes from idle to running, so
// at most one run is outstanding: the channel's one slot never makes a sender
// wait. The goroutine ends once the hub has stopped (stopped closed); a
// schedule after that (a message to a stopped hub) is dropped, as protoactor
// drops it to dead letters.
type ownGoroutine struct {
	runs    chan func()
	stopped <-chan struct{}
}

// throughput is protoactor's default: messages per run before a Gosched.
const throughput = 300

func newOwnGoroutine(stopped <-chan struct{}) *ownGoroutine {
	d := &ownGoroutine{runs: make(chan func(), 1), stopped: stopped}
	go d.loop()
	return d
}

func (d *ownGoroutine) loop() {
	for {
		select {
		case run := <-d.runs:
			run()
		case <-d.stopped:
			return
		}
	}
}

// Schedule implements actor.Dispatcher.
func (d *ownGoroutine) Schedule(run func()) {
	select {
	case d.runs <- run:
	case <-d.stopped:
	}
}

// Throughput implements actor.Dispatcher.
func (d *ownGoroutine) Throughput() int { return throughput }

var _ actor.Dispatcher = (*ownGoroutine)(nil)
