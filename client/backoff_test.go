package client

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestBackoffCeilingGrowsByFactorUpToMax(t *testing.T) {
	b := backoff{min: 2 * time.Second, max: 60 * time.Second, factor: 1.5}
	want := []time.Duration{3 * time.Second, 4500 * time.Millisecond, 6750 * time.Millisecond}
	for i, w := range want {
		assert.Equal(t, w, b.ceiling(i), "attempt %d", i)
	}
	assert.Equal(t, 60*time.Second, b.ceiling(9))
	assert.Equal(t, 60*time.Second, b.ceiling(1<<20), "no overflow")
}

func TestBackoffDelayIsFullJitterOverMinToCeiling(t *testing.T) {
	b := backoff{min: 100 * time.Millisecond, max: time.Second, factor: 2}
	for attempt := range 6 {
		assert.Equal(t, b.min, b.delay(attempt, func() float64 { return 0 }), "low end is min")
		top := b.delay(attempt, func() float64 { return 0.999999 })
		assert.InDelta(t, float64(b.ceiling(attempt)), float64(top), float64(time.Millisecond), "high end is the ceiling")
	}
	// Even the first wait is spread, so clients dropped together come back apart.
	assert.Equal(t, 150*time.Millisecond, b.delay(0, func() float64 { return 0.5 }))
}

func TestBackoffDefaultRandomnessSpreads(t *testing.T) {
	b := backoff{min: 10 * time.Millisecond, max: 80 * time.Millisecond, factor: 2}
	seen := map[time.Duration]bool{}
	for range 200 {
		d := b.delay(2, defaultRand)
		assert.GreaterOrEqual(t, d, b.min)
		assert.LessOrEqual(t, d, b.ceiling(2))
		seen[d.Round(time.Millisecond)] = true
	}
	assert.Greater(t, len(seen), 20, "delays spread over the range")
}

func TestBackoffFactorOneIsConstant(t *testing.T) {
	b := backoff{min: time.Second, max: time.Minute, factor: 1}
	assert.Equal(t, time.Second, b.delay(5, defaultRand))
}
