//go:build race

package hub_test

// raceOn: the race detector slows actor-heavy tests about fourfold.
const raceOn = true
