package client

import (
	"math"
	"math/rand/v2"
	"time"
)

// backoff computes the wait before each redial: a ceiling that grows from
// min by factor per failed attempt up to max, and a delay drawn uniformly
// from [min, ceiling] ("full jitter", floored at min). The jitter is what
// keeps a thousand clients dropped by one server restart from redialling in
// the same millisecond; the floor keeps a flapping server from being
// hammered. Even the first wait is jittered, since the first redial after a
// mass drop is the one that stampedes.
type backoff struct {
	min, max time.Duration
	factor   float64
}

// delay returns the wait before redial number attempt (0-based); rnd returns
// a value in [0, 1).
func (b backoff) delay(attempt int, rnd func() float64) time.Duration {
	return b.min + time.Duration(rnd()*float64(b.ceiling(attempt)-b.min))
}

// ceiling is min·factor^(attempt+1), capped at max.
func (b backoff) ceiling(attempt int) time.Duration {
	c := float64(b.min) * math.Pow(b.factor, float64(attempt+1))
	if c >= float64(b.max) || math.IsNaN(c) {
		return b.max
	}
	return time.Duration(c)
}

// defaultRand is the jitter source; math/rand/v2's top-level functions are
// safe for concurrent use and randomly seeded.
func defaultRand() float64 { return rand.Float64() }
