package main

import (
	"flag"
	"os"
	"runtime/debug"
)

// The garbage collector's pace (-gc-percent). A server's heap holds mostly
// long-lived state (connections, records, the recent history); every message
// leaves a few short-lived objects. Go's default (GOGC=100) starts a cycle
// each time the heap grows by its live size, so a small live heap under a
// steady message rate collects many times a second, and a message that
// arrives during a cycle waits behind its marking: the paced workload's tail
// (bench/NOTES.md). A higher percent spends memory to collect less often.
// GOMEMLIMIT (read by the Go runtime itself) still bounds the heap: near the
// limit the collector runs as often as it must, whatever the percent.

// gcPercentFlag is the flag's name; GOGC in the environment wins over the
// flag's default, not over the flag set on the command line, its WSC_
// variable or the config file.
const gcPercentFlag = "gc-percent"

// defaultGCPercent is -gc-percent's default.
const defaultGCPercent = 100

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

// applyGCPercent sets the collector's percent (negative: off, as GOGC=off)
// unless GOGC decides, and returns a func that puts back what was there.
func applyGCPercent(c serverConfig) (restore func()) {
	if c.GCPercentFromEnv {
		return func() {}
	}
	old := debug.SetGCPercent(c.GCPercent)
	return func() { debug.SetGCPercent(old) }
}
