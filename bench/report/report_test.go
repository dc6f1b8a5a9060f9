package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/go-wsc/go-wsc/bench/load"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOf(t *testing.T) {
	assert.Equal(t, Stat{Median: 2, Min: 1, Max: 9, N: 3}, Of([]float64{9, 1, 2}))
	assert.Equal(t, Stat{Median: 2.5, Min: 1, Max: 9, N: 4}, Of([]float64{9, 1, 2, 3}))
	assert.Zero(t, Of(nil).N)
}

func TestNum(t *testing.T) {
	for in, want := range map[float64]string{1234567: "1,234,567", 999: "999", -1234.5: "-1,234.5", 0: "0"} {
		assert.Equal(t, want, num(in, strings.Count(want, ".")), "%v", in)
	}
}

func sample() *Results {
	r := NewResults([]string{"actor", "lock"}, []string{"p2p", "p2p-ref", "p2p-slow", "idle", "inproc-8"})
	for i, tp := range []float64{100, 120, 110} {
		r.Add("p2p", "actor", load.Result{Clients: 10, Expected: 10, Received: 10, Throughput: tp * 1000, P99ms: 5 + float64(i)}, nil)
		r.Add("p2p", "lock", load.Result{Clients: 10, Expected: 10, Received: 10, Throughput: 80_000, P99ms: 9}, nil)
	}
	r.Add("p2p-ref", "actor", load.Result{Clients: 10, Expected: 10, Throughput: 100, P99ms: 10}, nil)
	r.Add("p2p-slow", "actor", load.Result{Clients: 10, Expected: 10, Throughput: 70, P99ms: 20,
		Slow: &load.SlowReport{Clients: 1, Expected: 10, Received: 3, Closed: map[string]int{"3002": 1}}, Note: "x | y"}, nil)
	r.Add("idle", "actor", load.Result{Clients: 10000, RSSPerConnKB: 14}, nil)
	r.Add("inproc-8", "lock", load.Result{Note: "n/a: none"}, nil)
	r.Add("inproc-8", "actor", load.Result{}, errors.New("boom"))
	return r
}

func TestGoals(t *testing.T) {
	byName := map[string]Goal{}
	for _, g := range Goals(sample()) {
		byName[g.Name] = g
	}
	assert.Equal(t, "met", byName["p2p throughput"].Status, "110k vs 80k is 1.375×")
	assert.Contains(t, byName["p2p throughput"].Measured, "1.38×")
	assert.Equal(t, "missed", byName["p2p with 1% slow consumers"].Status)
	assert.Contains(t, byName["p2p with 1% slow consumers"].Gap, "10 points short")
	assert.Equal(t, "missed", byName["idle connections"].Status)
	assert.Equal(t, "n/a", byName["in-process SendToUser, 8 senders"].Status)
	assert.Equal(t, "pending", byName["ACK round trip"].Status)
}

func TestMarkdownAndText(t *testing.T) {
	r := sample()
	var md, txt bytes.Buffer
	require.NoError(t, r.WriteMarkdown(&md, Header{Date: "d", Runs: 3, Chart: "c.svg", Notes: "## Notes\nhello"}))
	require.NoError(t, r.WriteText(&txt))
	for _, want := range []string{"| p2p | actor | 110,000 (100,000–120,000) |", "![throughput", "x \\| y", "closed (3002)", "## Notes", "error: boom", "n/a: none"} {
		assert.Contains(t, md.String(), want)
	}
	assert.Contains(t, txt.String(), "110,000 (100,000–120,000)")
}

func TestSVGIsWellFormed(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, sample().WriteSVG(&b, "caption <&>"))
	d := xml.NewDecoder(&b)
	rects := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "rect" {
			rects++
		}
	}
	assert.Greater(t, rects, 5)
}

func TestAloneGoalsAndRatios(t *testing.T) {
	r := NewResults([]string{"wsc-server", "chat", "ceiling"}, []string{"alone-p2p", "alone-paced", "alone-idle"})
	r.Add("alone-p2p", "wsc-server", load.Result{Clients: 10, Expected: 10, Received: 10, Throughput: 150_000, ServerCPUus: 5}, nil)
	r.Add("alone-p2p", "chat", load.Result{Clients: 10, Expected: 10, Received: 10, Throughput: 100_000, ServerCPUus: 6.25}, nil)
	r.Add("alone-p2p", "ceiling", load.Result{Clients: 10, Expected: 10, Received: 10, Throughput: 300_000, ServerCPUus: 2.5}, nil)
	r.Add("alone-paced", "wsc-server", load.Result{Clients: 10, Expected: 10, Received: 10, P99ms: 30}, nil)
	r.Add("alone-paced", "chat", load.Result{Clients: 10, Expected: 10, Received: 10, P99ms: 20}, nil)
	r.Add("alone-idle", "wsc-server", load.Result{Clients: 10000, RSSPerConnKB: 12}, nil)
	r.Add("alone-idle", "ceiling", load.Result{Clients: 10000, RSSPerConnKB: 11}, nil)
	by := map[string]Goal{}
	for _, g := range AloneGoals(r) {
		by[g.Name] = g
	}
	assert.Equal(t, "met", by["p2p server CPU per message, records on"].Status)
	assert.Contains(t, by["p2p server CPU per message, records on"].Measured, "0.80×")
	assert.Equal(t, "met", by["p2p throughput"].Status, "1.50× ≥ 1.25×")
	assert.Equal(t, "missed", by["p99 latency, every client paced"].Status)
	assert.Equal(t, "met", by["idle connections"].Status, "12 ≤ 1.1 × 11")
	assert.Equal(t, "n/a", by["broadcast deliveries/s (HTTP API, concurrent callers)"].Status)

	var md bytes.Buffer
	require.NoError(t, r.WriteMarkdown(&md, Header{Date: "d", Runs: 1}))
	assert.Contains(t, md.String(), "Goals (issue 14)")
	assert.Contains(t, md.String(), "server CPU/msg vs chat")
	assert.Contains(t, md.String(), "| alone-p2p | ceiling | 300,000 | 0.00 | 0.00 | 0 | 0 | 2.50 | 0.00 | — | 0.40× |",
		"frames not counted: no msgs/frame")

	var svg bytes.Buffer
	require.NoError(t, r.WriteSVG(&svg, "alone"))
	assert.Contains(t, svg.String(), "alone-p2p · server CPU/msg")

	assert.Nil(t, AloneGoals(sample()), "no server-alone workload ran")
}

// The batching variant has a goal line of its own, named as such, and the
// table says how many messages its frames carried.
func TestBatchBroadcastGoal(t *testing.T) {
	w := "alone-broadcast-big"
	r := NewResults([]string{"wsc-server", "wsc-server-batch", "chat"}, []string{w})
	r.Add(w, "wsc-server", load.Result{Clients: 10, Expected: 200, Received: 200, Frames: 200, Throughput: 30_000, ServerCPUus: 14}, nil)
	r.Add(w, "wsc-server-batch", load.Result{Clients: 10, Expected: 200, Received: 200, Frames: 40, Throughput: 60_000, ServerCPUus: 7}, nil)
	r.Add(w, "chat", load.Result{Clients: 10, Expected: 200, Received: 200, Frames: 200, Throughput: 50_000, ServerCPUus: 10}, nil)
	var plain, batch Goal
	for _, g := range AloneGoals(r) {
		switch {
		case g.Name == "broadcast to 10,000 receivers, deliveries/s":
			plain = g
		case strings.HasPrefix(g.Name, "broadcast to 10,000 receivers, deliveries/s, clients asking for batches (wsc-server-batch"):
			batch = g
		}
	}
	assert.Equal(t, "missed", plain.Status, "0.60×")
	assert.Equal(t, "met", batch.Status, "1.20×")
	assert.Contains(t, batch.Measured, "60,000 msgs/s vs chat 50,000 msgs/s = 1.20×")

	var md bytes.Buffer
	require.NoError(t, r.WriteMarkdown(&md, Header{Date: "d", Runs: 1}))
	assert.Contains(t, md.String(), "| alone-broadcast-big | wsc-server-batch | 60,000 | 0.00 | 0.00 | 0 | 0 | 7.00 | 0.00 | 5.00 | 0.70× |")
	assert.Contains(t, md.String(), "| alone-broadcast-big | chat | 50,000 | 0.00 | 0.00 | 0 | 0 | 10.00 | 0.00 | 1.00 | 1.00× |")
}

// A run cut short (a sender gave up after a stall) cannot claim zero loss:
// the zero-loss throughput goal is missed and says why, and what never
// reached the hub is not counted as lost.
func TestUnsentMessagesMissAZeroLossGoal(t *testing.T) {
	r := NewResults([]string{"wsc-server", "chat"}, []string{"alone-p2p"})
	r.Add("alone-p2p", "wsc-server", load.Result{Clients: 10, Expected: 100, Received: 60, Unsent: 40, Throughput: 150_000, ServerCPUus: 5}, nil)
	r.Add("alone-p2p", "chat", load.Result{Clients: 10, Expected: 100, Received: 100, Throughput: 100_000, ServerCPUus: 6.25}, nil)
	var g Goal
	for _, x := range AloneGoals(r) {
		if x.Name == "p2p throughput" {
			g = x
		}
	}
	assert.Equal(t, "missed", g.Status, "1.50× but 40 never sent")
	assert.Contains(t, g.Measured, "lost 0")
	assert.Contains(t, g.Gap, "40 never sent")
}
