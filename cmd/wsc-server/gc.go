package main

import (
	"flag"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// The garbage collector's pace (-gc-percent). A server's heap holds mostly
// long-lived state (connections, records, the recent history); every message
// leaves a few short-lived objects. Go's default (GOGC=100) starts a cycle
// each time the heap grows by its live size, so a small live heap under a
// steady message rate collects many times a second, and a message that
// arrives during a cycle waits behind its marking: the paced workload's tail
// (bench/NOTES.md). A higher percent spends memory to collect less often.
// GOMEMLIMIT (read by the Go runtime itself) still bounds the heap: near the
// limit the collector runs as often as it must, whatever the percent. Without
// GOMEMLIMIT, a server in a container with a memory bound (cgroup) takes nine
// tenths of that bound as its limit, so that the higher percent cannot walk
// the heap into the container's OOM killer.
//
// Measured (bench/NOTES.md, session 7, 2 cores, alone-paced 1,000 clients at
// 20 msg/s, 3 rounds alternating): the p99 against the chat hub's in the same
// run was 2.3-3.4x at 100, 1.4-2.0x at 200, 0.8-1.3x at 400 (on disk; in
// memory 1.5-1.9x, 0.8-1.5x, 0.4-0.9x); the idle RSS per connection at
// 10,000 went from 0.88x the no-hub ceiling's to 1.00x.

// gcPercentFlag is the flag's name; GOGC in the environment wins over the
// flag's default, not over the flag set on the command line, its WSC_
// variable or the config file.
const gcPercentFlag = "gc-percent"

// defaultGCPercent is -gc-percent's default.
const defaultGCPercent = 400

// gcPercentFromEnv says whether GOGC decides: set in the environment while
// -gc-percent was not set by any of the server's own means.
func gcPercentFromEnv(fs *flag.FlagSet) bool {
	if _, ok := os.LookupEnv("GOGC"); !ok {
		return false
	}
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == gcPercentFlag })
	return !set
}

// applyGC sets the collector's percent (negative: off, as GOGC=off) unless
// GOGC decides, and the memory limit from the container's bound unless
// GOMEMLIMIT is set; it returns a func that puts back what was there, and the
// limit it set (0: none).
func applyGC(c serverConfig) (restore func(), limit int64) {
	restore = func() {}
	if !c.GCPercentFromEnv {
		old := debug.SetGCPercent(c.GCPercent)
		restore = func() { debug.SetGCPercent(old) }
	}
	if _, ok := os.LookupEnv("GOMEMLIMIT"); ok {
		return restore, 0
	}
	bound := containerMemory()
	if bound <= 0 {
		return restore, 0
	}
	limit = bound / 10 * 9
	old := debug.SetMemoryLimit(limit)
	percent := restore
	return func() { debug.SetMemoryLimit(old); percent() }, limit
}

// cgroupMemoryFiles are where a container's memory bound is read: cgroup v2,
// then v1 (a variable for the tests).
var cgroupMemoryFiles = []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}

// containerMemory is the memory bound of the server's cgroup in bytes, 0
// when there is none ("max" in v2, a number near 2^63 in v1) or it cannot be
// read.
func containerMemory() int64 {
	for _, name := range cgroupMemoryFiles {
		b, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err != nil || n <= 0 || n >= 1<<60 {
			return 0
		}
		return n
	}
	return 0
}
