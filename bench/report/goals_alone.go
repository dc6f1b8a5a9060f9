package report

import (
	"fmt"
	"strings"

	"github.com/go-wsc/go-wsc/bench/remote"
)

// aloneSubject is go-wsc as deployed in the server-alone workloads.
const aloneSubject = remote.WscServer

// AloneGoals checks issue 14's goals on the server-alone workloads, each
// against the chat-style hub (or the ceiling) of the same run; nil when no
// server-alone workload ran.
func AloneGoals(r *Results) []Goal {
	ran := false
	for _, w := range r.Workloads {
		if k := KindOf(w); k == KindAlone || k == KindAloneIdle {
			ran = true
		}
	}
	if !ran {
		return nil
	}
	inproc := routingGoal(r)
	inproc.Name += " (records on)"
	return []Goal{
		cpuGoal(r),
		aloneThroughputGoal(r, "alone-p2p", aloneSubject, "p2p throughput", 1.25, true),
		inproc,
		aloneThroughputGoal(r, "alone-broadcast", aloneSubject, "broadcast deliveries/s (HTTP API, concurrent callers)", 1.0, false),
		aloneThroughputGoal(r, "alone-broadcast-big", aloneSubject, "broadcast to 10,000 receivers, deliveries/s", 1.0, false),
		aloneThroughputGoal(r, "alone-broadcast-big", remote.WscServerBatch,
			"broadcast to 10,000 receivers, deliveries/s, clients asking for batches (wsc-server-batch: ?batch=1, "+
				"several messages per frame; the chat hub writes one per frame)", 1.0, false),
		latencyGoal(r),
		aloneIdleGoal(r),
	}
}

// cpuGoal: p2p at or below the chat hub's server CPU per message.
func cpuGoal(r *Results) Goal {
	g := Goal{Name: "p2p server CPU per message, records on", Target: "≤ the chat hub's"}
	v, ok := median(r, "alone-p2p", aloneSubject, mCPUMsg)
	c, cok := median(r, "alone-p2p", chat, mCPUMsg)
	if !ok || !cok || c == 0 {
		g.Status = "n/a"
		return g
	}
	g.Measured = fmt.Sprintf("%s µs vs chat %s µs = %.2f×", num(v, 2), num(c, 2), v/c)
	if ce, ok := median(r, "alone-p2p", "ceiling", mCPUMsg); ok {
		g.Measured += fmt.Sprintf(" (ceiling %s µs)", num(ce, 2))
	}
	g.Status = status(v <= c)
	if v > c {
		g.Gap = fmt.Sprintf("%s µs (%.0f%%) per message over", num(v-c, 2), (v/c-1)*100)
	}
	return g
}

// aloneThroughputGoal: subject's deliveries/s on w at least factor times the
// chat hub's.
func aloneThroughputGoal(r *Results, w, subject, name string, factor float64, zeroLoss bool) Goal {
	g := Goal{Name: name, Target: fmt.Sprintf("≥ %.2f× the chat hub's", factor)}
	if zeroLoss {
		g.Target += ", zero loss"
	}
	v, ok := median(r, w, subject, mThroughput)
	c, cok := median(r, w, chat, mThroughput)
	if !ok || !cok || c == 0 {
		g.Status = "n/a"
		return g
	}
	lost, _ := median(r, w, subject, mLost)
	unsent, _ := median(r, w, subject, mUnsent)
	ratio := v / c
	g.Measured = fmt.Sprintf("%s msgs/s vs chat %s msgs/s = %.2f×; lost %s", num(v, 0), num(c, 0), ratio, num(lost, 0))
	met := ratio >= factor && (!zeroLoss || lost == 0 && unsent == 0)
	g.Status = status(met)
	if ratio < factor {
		g.Gap = fmt.Sprintf("needs %.0f%% more (%s msgs/s)", (factor/ratio-1)*100, num(factor*c, 0))
	}
	if zeroLoss && lost > 0 {
		g.Gap = join(g.Gap, fmt.Sprintf("lost %s messages", num(lost, 0)))
	}
	if zeroLoss && unsent > 0 {
		g.Gap = join(g.Gap, fmt.Sprintf("%s never sent (a sender gave up after a stall): the run says nothing about loss", num(unsent, 0)))
	}
	return g
}

// latencyGoal: with every client paced, p99 at or below the chat hub's.
func latencyGoal(r *Results) Goal {
	g := Goal{Name: "p99 latency, every client paced", Target: "≤ the chat hub's"}
	v, ok := median(r, "alone-paced", aloneSubject, mP99)
	c, cok := median(r, "alone-paced", chat, mP99)
	if !ok || !cok || c == 0 {
		g.Status = "n/a"
		return g
	}
	g.Measured = fmt.Sprintf("%s ms vs chat %s ms = %.2f×", num(v, 2), num(c, 2), v/c)
	if ce, ok := median(r, "alone-paced", "ceiling", mP99); ok {
		g.Measured += fmt.Sprintf(" (ceiling %s ms)", num(ce, 2))
	}
	// a p99 spreads from run to run, the chat hub's too: each run's ratio,
	// for the reader (the goal is judged on the medians, as the others)
	if runs := sameRunRatiosOf(r, "alone-paced", mP99, aloneSubject, chat); len(runs) > 1 {
		parts := make([]string, len(runs))
		for i, x := range runs {
			parts[i] = fmt.Sprintf("%.2f", x)
		}
		g.Measured += fmt.Sprintf("; same-run ratios %s×", strings.Join(parts, ", "))
	}
	g.Status = status(v <= c)
	if v > c {
		g.Gap = fmt.Sprintf("%s ms (%.0f%%) over", num(v-c, 2), (v/c-1)*100)
	}
	return g
}

// aloneIdleGoal: RSS per idle connection within 1.1× the ceiling's at 10,000.
func aloneIdleGoal(r *Results) Goal {
	g := Goal{Name: "idle connections", Target: "≤ 1.1× the ceiling's RSS per connection at 10,000"}
	v, ok := median(r, "alone-idle", aloneSubject, mRSSConn)
	c, cok := median(r, "alone-idle", "ceiling", mRSSConn)
	if !ok || !cok || c <= 0 {
		g.Status = "n/a"
		return g
	}
	n := r.Cell("alone-idle", aloneSubject).Runs[0].Clients
	g.Measured = fmt.Sprintf("%s KiB vs ceiling %s KiB = %.2f× at %s", num(v, 1), num(c, 1), v/c, num(float64(n), 0))
	if ch, ok := median(r, "alone-idle", chat, mRSSConn); ok {
		g.Measured += fmt.Sprintf(" (chat %s KiB)", num(ch, 1))
	}
	met := v <= 1.1*c && n >= 10000
	g.Status = status(met)
	if v > 1.1*c {
		g.Gap = fmt.Sprintf("%s KiB per connection over 1.1×", num(v-1.1*c, 1))
	} else if n < 10000 {
		g.Gap = "measured below 10,000 connections"
	}
	return g
}
