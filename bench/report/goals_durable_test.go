package report

import (
	"bytes"
	"errors"
	"testing"

	"github.com/go-wsc/go-wsc/bench/load"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDurableGoals(t *testing.T) {
	r := NewResults([]string{"wsc-server", "wsc-server-memory", "chat"}, []string{"alone-p2p", "alone-ack"})
	ok := func(tp, cpu float64, run int) load.Result {
		return load.Result{Clients: 10, Expected: 10, Received: 10, Throughput: tp, ServerCPUus: cpu, Run: run}
	}
	// p2p: run 2 of the disk failed, so run 3 must pair with run 3, not run 2
	r.Add("alone-p2p", "wsc-server", ok(95_000, 10.5, 1), nil)
	r.Add("alone-p2p", "wsc-server", load.Result{}, errors.New("boom"))
	r.Add("alone-p2p", "wsc-server", ok(60_000, 13, 3), nil)
	r.Add("alone-p2p", "wsc-server-memory", ok(100_000, 10, 1), nil)
	r.Add("alone-p2p", "wsc-server-memory", ok(50_000, 20, 2), nil)
	r.Add("alone-p2p", "wsc-server-memory", ok(62_500, 10, 3), nil)
	// ack: the disk at 0.60× in both runs
	for run, mem := range []float64{5000, 4000} {
		r.Add("alone-ack", "wsc-server", ok(0.6*mem, 200, run+1), nil)
		r.Add("alone-ack", "wsc-server-memory", ok(mem, 150, run+1), nil)
	}
	by := map[string]Goal{}
	for _, g := range DurableGoals(r) {
		by[g.Name] = g
	}
	tp := by["p2p throughput, on disk vs -memory"]
	assert.Equal(t, "met", tp.Status, "same-run ratios 0.95 and 0.96")
	assert.Contains(t, tp.Measured, "same-run ratios 0.95, 0.96×")
	cpu := by["p2p server CPU per message, on disk vs -memory"]
	assert.Equal(t, "missed", cpu.Status, "same-run ratios 1.05 and 1.30: median 1.175")
	assert.Contains(t, cpu.Gap, "18% over -memory's")
	ack := by["ACK workload throughput (alone-ack), on disk vs -memory"]
	assert.Equal(t, "missed", ack.Status)
	assert.Contains(t, ack.Measured, "2,700 msgs/s vs -memory 4,500 msgs/s = 0.60×")
	assert.Contains(t, ack.Gap, "60% of -memory's, 10 points short")

	var md, txt bytes.Buffer
	require.NoError(t, r.WriteMarkdown(&md, Header{Date: "d", Runs: 3}))
	assert.Contains(t, md.String(), "## Goals (issue 13)")
	assert.Contains(t, md.String(), "| ACK workload throughput (alone-ack), on disk vs -memory | ≥ 0.70× -memory's |")
	assert.Contains(t, md.String(), "| alone-ack | wsc-server-memory | 4,500 (4,000–5,000) |")
	require.NoError(t, r.WriteText(&txt))
	assert.Contains(t, txt.String(), "missed  ACK workload throughput (alone-ack)")

	// results written before runs were numbered pair up in order
	old := NewResults([]string{"wsc-server", "wsc-server-memory"}, []string{"alone-ack"})
	old.Add("alone-ack", "wsc-server", ok(800, 1, 0), nil)
	old.Add("alone-ack", "wsc-server-memory", ok(1000, 1, 0), nil)
	assert.Equal(t, "met", DurableGoals(old)[2].Status)
	assert.Contains(t, DurableGoals(old)[2].Measured, "same-run ratios 0.80×")
	assert.Equal(t, "n/a", DurableGoals(old)[0].Status, "no alone-p2p")

	assert.Nil(t, DurableGoals(sample()), "no alone-p2p nor alone-ack")
}

// The paced p99 goal is judged on the medians and shows each run's ratio to
// the chat hub's beside them, paired by run number.
func TestLatencyGoalShowsEachRunsRatio(t *testing.T) {
	r := NewResults([]string{"wsc-server", "chat"}, []string{"alone-paced"})
	for i, p := range [][2]float64{{8, 10}, {6, 4}, {3, 9}} {
		r.Add("alone-paced", "wsc-server", load.Result{Clients: 10, Expected: 10, Received: 10, P99ms: p[0], Run: i + 1}, nil)
		r.Add("alone-paced", "chat", load.Result{Clients: 10, Expected: 10, Received: 10, P99ms: p[1], Run: i + 1}, nil)
	}
	g := latencyGoal(r)
	assert.Equal(t, "met", g.Status, "medians 6 and 9")
	assert.Contains(t, g.Measured, "6.00 ms vs chat 9.00 ms = 0.67×")
	assert.Contains(t, g.Measured, "same-run ratios 0.80, 1.50, 0.33×")
}
