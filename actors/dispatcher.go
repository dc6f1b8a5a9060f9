package actors

import "github.com/asynkron/protoactor-go/actor"

// OwnGoroutine is a dispatcher for a busy long-lived actor (the hub, the
// recorder): one goroutine of its own runs the mailbox whenever it has
// messages, where protoactor's default starts a goroutine for every run. At a
// moderate rate most messages find such a mailbox idle, and each new
// goroutine started with a small stack that the actor's work (the hub's
// encoder, the recorder's) then grew by copying: newproc and copystack were
// ~5% of the server's CPU in alone-paced for the hub alone. A parked goroutine
// that is woken keeps its grown stack. Not for actors there are many of (a
// session per connection): each holds its goroutine while it lives.
//
// protoactor schedules a mailbox only when it goes from idle to running, so
// at most one run is outstanding: the channel's one slot never makes a sender
// wait. The goroutine ends once the actor has stopped (stopped closed, by the
// actor on actor.Stopped); a schedule after that (a message to a stopped
// actor) is dropped, as protoactor drops it to dead letters.
func OwnGoroutine(stopped <-chan struct{}) actor.Dispatcher { return newOwnGoroutine(stopped) }

// ownGoroutine is OwnGoroutine's dispatcher.
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
