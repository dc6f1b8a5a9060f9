package load

import (
	"slices"
)

// latencies merges the receivers' latencies and returns p50, p99 and max in ms.
func latencies(rs []*receiver) (p50, p99, maxMs float64) {
	var all []int64
	for _, r := range rs {
		all = append(all, r.lat...)
	}
	if len(all) == 0 {
		return 0, 0, 0
	}
	slices.Sort(all)
	q := func(p float64) float64 {
		i := int(p * float64(len(all)-1))
		return float64(all[i]) / 1e6
	}
	return q(0.50), q(0.99), float64(all[len(all)-1]) / 1e6
}

// count sums what the receivers got.
func count(rs []*receiver) (received, dups int64) {
	for _, r := range rs {
		received += int64(r.n)
		dups += int64(r.dups)
	}
	return received, dups
}
