package load

import (
	"time"

	"github.com/go-wsc/go-wsc/bench/hubs"
)

// A hub served by another process (package remote) says where it is and how
// much CPU and memory that process uses; the workloads then measure the
// server alone. An in-process hub is served here, on loopback, and its
// figures include the clients'.

// Served is a hub in a process of its own.
type Served interface {
	hubs.Hub
	// URL is where clients connect (the load adds user_id=<id> to its query).
	URL() string
	// CPU is the CPU time the server process has used so far.
	CPU() (time.Duration, error)
	// SettledRSSKB is the server's resident set after a GC, in KiB.
	SettledRSSKB() (float64, error)
	// PeakRSSKB is the server's peak resident set, in KiB.
	PeakRSSKB() (float64, error)
}

// serve returns the URL of h: its own when it is served elsewhere, else that
// of a loopback server started here (stop closes it).
func serve(h hubs.Hub, slowSndBuf int) (url string, stop func(), err error) {
	if s, ok := h.(Served); ok {
		return s.URL(), func() {}, nil
	}
	srv, err := startServer(h.Handler(), slowSndBuf)
	if err != nil {
		return "", nil, err
	}
	return srv.url, srv.close, nil
}

// cpuMeter measures a served hub's CPU time over a window.
type cpuMeter struct {
	s    Served // nil: not measurable (in process)
	t0   time.Time
	cpu0 time.Duration
}

func startCPU(h hubs.Hub) cpuMeter {
	s, ok := h.(Served)
	if !ok {
		return cpuMeter{}
	}
	c0, err := s.CPU()
	if err != nil {
		return cpuMeter{}
	}
	return cpuMeter{s: s, t0: time.Now(), cpu0: c0}
}

// stop returns the CPU time used since start and the wall time it took.
func (m cpuMeter) stop() (cpu, wall time.Duration, ok bool) {
	if m.s == nil {
		return 0, 0, false
	}
	c1, err := m.s.CPU()
	if err != nil {
		return 0, 0, false
	}
	return c1 - m.cpu0, time.Since(m.t0), true
}

// peakRSSMB is the server's peak RSS: the child's for a served hub, else this
// process's (clients included).
func peakRSSMB(h hubs.Hub) float64 {
	if s, ok := h.(Served); ok {
		if kb, err := s.PeakRSSKB(); err == nil {
			return kb / 1024
		}
		return 0
	}
	return procStatus("VmHWM") / 1024
}
