package load

import "time"

// Result is one measurement of one workload on one hub. Zero fields do not
// apply to the workload.
type Result struct {
	Hub      string `json:"hub"`
	Workload string `json:"workload"`
	// Run is the run's number, from 1: what pairs two hubs' results of the
	// same run (a same-run ratio); zero in results from before it was kept.
	Run int `json:"run,omitempty"`

	Clients  int   `json:"clients,omitempty"`
	Expected int64 `json:"expected,omitempty"` // messages the healthy clients should receive
	Received int64 `json:"received,omitempty"` // of those, received (each at most once)
	// Unsent is what the senders never sent: a sender gives up when its
	// receiver has not moved for the stall bound, or at the deadline. Those
	// messages were never offered to the hub, so they are not its loss, but a
	// run with any is cut short and claims nothing about loss.
	Unsent int64 `json:"unsent,omitempty"`
	Lost   int64 `json:"lost,omitempty"` // Expected - Unsent - Received when the traffic ended
	Dups   int64 `json:"dups,omitempty"` // messages received more than once
	// Frames is how many WebSocket frames the healthy clients read: as many as
	// messages from a hub that writes one message per frame, fewer from one
	// that batches (wsc-server-batch).
	Frames int64 `json:"frames,omitempty"`

	Seconds    float64 `json:"seconds,omitempty"`    // first send to last expected receipt (or deadline)
	Throughput float64 `json:"throughput,omitempty"` // Received / Seconds, msgs/s
	P50ms      float64 `json:"p50_ms,omitempty"`     // send-to-receive latency, healthy clients
	P99ms      float64 `json:"p99_ms,omitempty"`
	MaxMs      float64 `json:"max_ms,omitempty"`

	// The server alone, when it runs in a process of its own: its CPU time
	// (user + system) over the traffic, per message received, and in cores.
	ServerCPUus float64 `json:"server_cpu_us_per_msg,omitempty"`
	ServerCores float64 `json:"server_cores,omitempty"`

	HeapGrowthMB float64 `json:"heap_growth_mb,omitempty"` // peak live heap during traffic minus before it (server and clients)
	PeakRSSMB    float64 `json:"peak_rss_mb,omitempty"`    // VmHWM of the process at the end

	Slow *SlowReport `json:"slow,omitempty"`

	// Idle connections.
	ConnectRate    float64 `json:"connect_rate,omitempty"`     // connections/s, dialled 64 at a time
	RSSPerConnKB   float64 `json:"rss_per_conn_kb,omitempty"`  // server process VmRSS growth / connections
	HeapPerConnKB  float64 `json:"heap_per_conn_kb,omitempty"` // server live heap growth / connections
	GoroutinesConn float64 `json:"goroutines_per_conn,omitempty"`

	// In-process routing.
	Senders     int     `json:"senders,omitempty"`
	NsPerOp     float64 `json:"ns_per_op,omitempty"`
	AllocsPerOp float64 `json:"allocs_per_op,omitempty"`
	BytesPerOp  float64 `json:"bytes_per_op,omitempty"`

	Note string `json:"note,omitempty"`
}

// SlowReport says what happened to the clients that never read.
type SlowReport struct {
	Clients  int   `json:"clients"`
	Expected int64 `json:"expected"` // messages addressed to them
	Received int64 `json:"received"` // read once they started reading after the traffic
	Open     int   `json:"open"`     // still connected when the drain ended
	// Closed counts the others by how their connection ended: a close code, or
	// "eof" when the server dropped the TCP connection without a close frame.
	Closed map[string]int `json:"closed,omitempty"`
}

func since(t0 time.Time, endNs int64) float64 {
	return float64(endNs-t0.UnixNano()) / 1e9
}
