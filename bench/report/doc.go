// Package report turns the results of several runs into the benchmark's
// outputs: medians with min–max, the goals of issue 7 checked against them,
// a text table, RESULTS.md and a hand-written SVG chart. It only formats: it
// runs nothing and reads no clock but the one it is given.
package report
