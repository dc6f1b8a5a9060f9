package report

import (
	"fmt"
	"strings"

	"github.com/go-wsc/go-wsc/bench/load"
	"github.com/go-wsc/go-wsc/bench/remote"
)

// DurableGoals checks issue 13's speed goals ("durable by default"): go-wsc
// on disk (wsc-server, its default) against the same server with -memory
// (wsc-server-memory) in the same run, on alone-p2p (no acks: the history
// and the records are written behind) and alone-ack (every message's
// pending ack is on disk before it is delivered). Nil when neither ran.
//
// The machine is shared and noisy, so each run's disk figure is divided by
// the memory figure of the same run (the two hubs run one after the other),
// and the goal is judged on the median of those same-run ratios.
func DurableGoals(r *Results) []Goal {
	if !r.ran("alone-p2p") && !r.ran("alone-ack") {
		return nil
	}
	return []Goal{
		durableGoal(r, "alone-p2p", "p2p throughput, on disk vs -memory", mThroughput, 0.90, "≥ 0.90× -memory's (within 10%)"),
		durableGoal(r, "alone-p2p", "p2p server CPU per message, on disk vs -memory", mCPUMsg, 1.10, "≤ 1.10× -memory's (within 10%)"),
		durableGoal(r, "alone-ack", "ACK workload throughput (alone-ack), on disk vs -memory", mThroughput, 0.70, "≥ 0.70× -memory's"),
	}
}

// ran reports whether workload w is among the workloads of r.
func (r *Results) ran(w string) bool {
	for _, x := range r.Workloads {
		if x == w {
			return true
		}
	}
	return false
}

// durableGoal compares m of wsc-server with wsc-server-memory on w; bound is
// a floor of the ratio (higher is better) or a ceiling (m.Lower).
func durableGoal(r *Results, w, name string, m Metric, bound float64, target string) Goal {
	g := Goal{Name: name, Target: target}
	disk, ok := median(r, w, remote.WscServer, m)
	mem, mok := median(r, w, remote.WscServerMemory, m)
	if !ok || !mok || mem == 0 {
		g.Status = "n/a"
		return g
	}
	unit := m.Unit
	ratio, runs := disk/mem, sameRunRatios(r, w, m)
	g.Measured = fmt.Sprintf("%s %s vs -memory %s %s = %.2f×", num(disk, m.Digits), unit, num(mem, m.Digits), unit, ratio)
	if len(runs) > 0 {
		s := Of(runs)
		ratio = s.Median
		parts := make([]string, len(runs))
		for i, v := range runs {
			parts[i] = fmt.Sprintf("%.2f", v)
		}
		g.Measured += fmt.Sprintf("; same-run ratios %s×, median %.2f×", strings.Join(parts, ", "), s.Median)
	}
	met := ratio >= bound
	if m.Lower {
		met = ratio <= bound
	}
	g.Status = status(met)
	switch {
	case met:
	case m.Lower:
		g.Gap = fmt.Sprintf("%.0f%% over -memory's, %.0f points past the bound", (ratio-1)*100, (ratio-bound)*100)
	default:
		g.Gap = fmt.Sprintf("%.0f%% of -memory's, %.0f points short", ratio*100, (bound-ratio)*100)
	}
	return g
}

// sameRunRatios divides each run's m on wsc-server by m on wsc-server-memory
// in the same run, in run order (sameRunRatiosOf).
func sameRunRatios(r *Results, w string, m Metric) []float64 {
	return sameRunRatiosOf(r, w, m, remote.WscServer, remote.WscServerMemory)
}

// sameRunRatiosOf divides each run's m on hub by m on base in the same run,
// in run order; runs that are missing (a failed run) on either side are left
// out. Results from before runs were numbered pair up in the order they were
// added.
func sameRunRatiosOf(r *Results, w string, m Metric, hub, base string) []float64 {
	key := func(x load.Result, i int) int {
		if x.Run == 0 {
			return -(i + 1) // unnumbered: by position
		}
		return x.Run
	}
	of := map[int]load.Result{}
	for i, x := range r.Cell(w, base).Runs {
		of[key(x, i)] = x
	}
	var out []float64
	for i, d := range r.Cell(w, hub).Runs {
		if x, ok := of[key(d, i)]; ok && m.Get(x) != 0 {
			out = append(out, m.Get(d)/m.Get(x))
		}
	}
	return out
}
