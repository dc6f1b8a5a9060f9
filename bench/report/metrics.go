package report

import (
	"math"

	"github.com/go-wsc/go-wsc/bench/load"
)

// Metric is one column of the table.
type Metric struct {
	Name, Unit string
	Get        func(load.Result) float64
	Digits     int
	// Lower is better (latency, memory, cost); false: higher is better.
	Lower bool
}

var (
	mThroughput = Metric{"throughput", "msgs/s", func(r load.Result) float64 { return r.Throughput }, 0, false}
	mP50        = Metric{"p50", "ms", func(r load.Result) float64 { return r.P50ms }, 2, true}
	mP99        = Metric{"p99", "ms", func(r load.Result) float64 { return r.P99ms }, 2, true}
	mLost       = Metric{"lost", "msgs", func(r load.Result) float64 { return float64(r.Lost) }, 0, true}
	// mUnsent: messages a sender never sent because its receiver stalled.
	mUnsent   = Metric{"unsent", "msgs", func(r load.Result) float64 { return float64(r.Unsent) }, 0, true}
	mHeap     = Metric{"heap growth", "MiB", func(r load.Result) float64 { return r.HeapGrowthMB }, 1, true}
	mRSSConn  = Metric{"RSS/conn", "KiB", func(r load.Result) float64 { return r.RSSPerConnKB }, 1, true}
	mHeapConn = Metric{"heap/conn", "KiB", func(r load.Result) float64 { return r.HeapPerConnKB }, 1, true}
	mGorConn  = Metric{"goroutines/conn", "", func(r load.Result) float64 { return r.GoroutinesConn }, 1, true}
	mConnRate = Metric{"connect rate", "conn/s", func(r load.Result) float64 { return r.ConnectRate }, 0, false}
	mNsOp     = Metric{"ns/op", "ns", func(r load.Result) float64 { return r.NsPerOp }, 0, true}
	mAllocsOp = Metric{"allocs/op", "", func(r load.Result) float64 { return r.AllocsPerOp }, 1, true}
	mBytesOp  = Metric{"B/op", "B", func(r load.Result) float64 { return r.BytesPerOp }, 0, true}
	mCPUMsg   = Metric{"server CPU/msg", "µs", func(r load.Result) float64 { return r.ServerCPUus }, 2, true}
	mCores    = Metric{"server cores", "", func(r load.Result) float64 { return r.ServerCores }, 2, true}
	// mPerFrame is how many messages a client got per WebSocket frame: 1 from
	// a hub that writes one message per frame, more with batches.
	mPerFrame = Metric{"msgs/frame", "", func(r load.Result) float64 {
		if r.Frames == 0 {
			return math.NaN() // not counted (the ack workload reads no frames of its own)
		}
		return float64(r.Received) / float64(r.Frames)
	}, 2, false}
)

// Kind groups workloads that share columns.
type Kind int

// The kinds of workload.
const (
	KindTraffic Kind = iota
	KindIdle
	KindRouting
	KindAck
	// KindAlone: the server in a process of its own (issue 14).
	KindAlone
	KindAloneIdle
)

// KindOf names the kind of workload w.
func KindOf(w string) Kind {
	switch {
	case w == "alone-idle":
		return KindAloneIdle
	case len(w) > 6 && w[:6] == "alone-":
		return KindAlone
	case w == "idle":
		return KindIdle
	case w == "ack":
		return KindAck
	case len(w) > 6 && w[:6] == "inproc":
		return KindRouting
	}
	return KindTraffic
}

// Columns are the metrics shown for a kind.
func Columns(k Kind) []Metric {
	switch k {
	case KindIdle:
		return []Metric{mRSSConn, mHeapConn, mGorConn, mConnRate}
	case KindRouting:
		return []Metric{mThroughput, mNsOp, mAllocsOp, mBytesOp, mLost}
	case KindAck:
		return []Metric{mThroughput, mP50, mP99, mLost}
	case KindAlone:
		return []Metric{mThroughput, mP50, mP99, mLost, mUnsent, mCPUMsg, mCores, mPerFrame}
	case KindAloneIdle:
		return []Metric{mRSSConn, mConnRate}
	}
	return []Metric{mThroughput, mP50, mP99, mLost, mUnsent, mHeap}
}

// The server-alone tables end with a ratio to the chat-style hub, in the
// same run: of the CPU per message (traffic) or of the RSS per connection
// (idle).
const chat = "chat"

// ratioMetric is what a server-alone kind compares with the chat hub.
func ratioMetric(k Kind) (Metric, bool) {
	switch k {
	case KindAlone:
		return mCPUMsg, true
	case KindAloneIdle:
		return mRSSConn, true
	}
	return Metric{}, false
}
