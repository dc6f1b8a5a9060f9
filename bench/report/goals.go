package report

import "fmt"

// The hub under test; every other hub is a baseline.
const subject = "actor"

// Goal is one of issue 7's goals checked against the medians.
type Goal struct {
	Name     string
	Target   string
	Measured string
	// Status is "met", "missed", "pending" (not measurable yet) or "n/a"
	// (its workloads did not run).
	Status string
	// Gap says by how much a missed goal is missed.
	Gap string
}

func median(r *Results, w, h string, m Metric) (float64, bool) {
	if !r.Has(w, h) {
		return 0, false
	}
	return r.Cell(w, h).Stat(m.Get).Median, true
}

// bestBaseline is the baseline with the highest median of m on w.
func bestBaseline(r *Results, w string, m Metric) (string, float64, bool) {
	best, bv, ok := "", 0.0, false
	for _, h := range r.Hubs {
		if h == subject {
			continue
		}
		if v, has := median(r, w, h, m); has && (!ok || v > bv) {
			best, bv, ok = h, v, true
		}
	}
	return best, bv, ok
}

func status(met bool) string {
	if met {
		return "met"
	}
	return "missed"
}

// Goals checks issue 7's goals.
func Goals(r *Results) []Goal {
	var gs []Goal
	gs = append(gs, throughputGoal(r, "p2p", 1.25, true))
	gs = append(gs, throughputGoal(r, "broadcast", 1.0, false))
	gs = append(gs, throughputGoal(r, "broadcast-big", 1.0, false))
	gs = append(gs, slowGoal(r, "p2p"), slowGoal(r, "broadcast"))
	gs = append(gs, idleGoal(r), routingGoal(r))
	gs = append(gs, ackGoal(r))
	return gs
}

// ackGoal has no target in the issue: it reports the figure.
func ackGoal(r *Results) Goal {
	g := Goal{Name: "ACK round trip", Target: "msgs/s with ACK on, 1,000 auto-acking clients (no target)"}
	v, ok := median(r, "ack", subject, mThroughput)
	if !ok {
		g.Status, g.Measured = "pending", "not measured in this run"
		return g
	}
	p99, _ := median(r, "ack", subject, mP99)
	lost, _ := median(r, "ack", subject, mLost)
	g.Status = "measured"
	g.Measured = fmt.Sprintf("%s acked msgs/s, p99 %s ms, %s not acked", num(v, 0), num(p99, 2), num(lost, 0))
	return g
}

func throughputGoal(r *Results, w string, factor float64, zeroLoss bool) Goal {
	g := Goal{Name: w + " throughput", Target: fmt.Sprintf("≥ %.2f× the best baseline", factor)}
	if zeroLoss {
		g.Target += ", zero loss"
	}
	v, ok := median(r, w, subject, mThroughput)
	bh, bv, bok := bestBaseline(r, w, mThroughput)
	if !ok || !bok {
		g.Status = "n/a"
		return g
	}
	lost, _ := median(r, w, subject, mLost)
	unsent, _ := median(r, w, subject, mUnsent)
	ratio := v / bv
	g.Measured = fmt.Sprintf("%s msgs/s vs %s %s msgs/s = %.2f×; lost %s", num(v, 0), bh, num(bv, 0), ratio, num(lost, 0))
	met := ratio >= factor && (!zeroLoss || lost == 0 && unsent == 0)
	g.Status = status(met)
	if !met {
		if ratio < factor {
			g.Gap = fmt.Sprintf("needs %.0f%% more throughput (%s msgs/s)", (factor/ratio-1)*100, num(factor*bv, 0))
		}
		if zeroLoss && lost > 0 {
			g.Gap = join(g.Gap, fmt.Sprintf("lost %s messages", num(lost, 0)))
		}
		if zeroLoss && unsent > 0 {
			g.Gap = join(g.Gap, fmt.Sprintf("%s never sent (a sender gave up after a stall): the run says nothing about loss", num(unsent, 0)))
		}
	}
	return g
}

func slowGoal(r *Results, base string) Goal {
	ref, slow := base+"-ref", base+"-slow"
	g := Goal{Name: base + " with 1% slow consumers", Target: "healthy clients keep ≥ 80% of their throughput and p99 ≤ 1.5×"}
	t0, ok0 := median(r, ref, subject, mThroughput)
	t1, ok1 := median(r, slow, subject, mThroughput)
	p0, _ := median(r, ref, subject, mP99)
	p1, _ := median(r, slow, subject, mP99)
	if !ok0 || !ok1 || t0 == 0 || p0 == 0 {
		g.Status = "n/a"
		return g
	}
	tr, pr := t1/t0, p1/p0
	g.Measured = fmt.Sprintf("throughput %.0f%% of no-slow, p99 %.2f×", tr*100, pr)
	for _, h := range r.Hubs {
		if h == subject {
			continue
		}
		b0, okb0 := median(r, ref, h, mThroughput)
		b1, okb1 := median(r, slow, h, mThroughput)
		q0, _ := median(r, ref, h, mP99)
		q1, _ := median(r, slow, h, mP99)
		if okb0 && okb1 && b0 > 0 && q0 > 0 {
			g.Measured += fmt.Sprintf("; %s %.0f%%, %.2f×", h, b1/b0*100, q1/q0)
		}
	}
	met := tr >= 0.8 && pr <= 1.5
	g.Status = status(met)
	if tr < 0.8 {
		g.Gap = fmt.Sprintf("throughput %.0f points short", (0.8-tr)*100)
	}
	if pr > 1.5 {
		g.Gap = join(g.Gap, fmt.Sprintf("p99 %.2f× over the 1.5× bound", pr/1.5))
	}
	return g
}

func idleGoal(r *Results) Goal {
	g := Goal{Name: "idle connections", Target: "< 12 KiB RSS per connection at 10,000"}
	v, ok := median(r, "idle", subject, mRSSConn)
	if !ok {
		g.Status = "n/a"
		return g
	}
	n := r.Cell("idle", subject).Runs[0].Clients
	g.Measured = fmt.Sprintf("%s KiB per connection at %s", num(v, 1), num(float64(n), 0))
	g.Status = status(v < 12 && n >= 10000)
	if v >= 12 {
		g.Gap = fmt.Sprintf("%s KiB (%.0f%%) over", num(v-12, 1), (v/12-1)*100)
	} else if n < 10000 {
		g.Gap = "measured below 10,000 connections"
	}
	return g
}

func routingGoal(r *Results) Goal {
	g := Goal{Name: "in-process SendToUser, 8 senders", Target: "≥ 1,000,000 msgs/s"}
	v, ok := median(r, "inproc-8", subject, mThroughput)
	if !ok {
		g.Status = "n/a"
		return g
	}
	g.Measured = fmt.Sprintf("%s msgs/s (fire-and-forget to the hub PID)", num(v, 0))
	if f, ok := median(r, "inproc-facade-8", subject, mThroughput); ok {
		g.Measured += fmt.Sprintf("; %s msgs/s through the facade", num(f, 0))
	}
	g.Status = status(v >= 1e6)
	if v < 1e6 {
		g.Gap = fmt.Sprintf("needs %.1f× (%.0f ns per message at most, measured %s)", 1e6/v, 1e9/1e6, num(1e9/v, 0))
	}
	return g
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
