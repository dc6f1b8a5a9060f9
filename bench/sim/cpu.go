package sim

import (
	"syscall"
	"time"
)

// cpuTime is this process's user and system CPU time so far: every hub, the
// NATS server, the writers and the traffic together.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
