package load

import (
	"bufio"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const heapObjects = "/memory/classes/heap/objects:bytes"

// liveHeap is the bytes of heap objects (live and not yet swept), read without
// stopping the world.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: heapObjects}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// sampler records the peak of liveHeap every 20 ms until stop.
type sampler struct {
	base uint64
	peak atomic.Uint64
	quit chan struct{}
	wg   sync.WaitGroup
}

func startSampler() *sampler {
	s := &sampler{base: liveHeap(), quit: make(chan struct{})}
	s.peak.Store(s.base)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				if v := liveHeap(); v > s.peak.Load() {
					s.peak.Store(v)
				}
			case <-s.quit:
				return
			}
		}
	}()
	return s
}

// stop ends sampling and returns the peak growth in MiB.
func (s *sampler) stop() float64 {
	close(s.quit)
	s.wg.Wait()
	return float64(s.peak.Load()-s.base) / (1 << 20)
}

// procStatus reads a kB field (VmRSS, VmHWM) of /proc/self/status; 0 if absent.
func procStatus(field string) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb
		}
	}
	return 0
}

// settledRSS is VmRSS in kB after a GC that returns free memory to the OS.
func settledRSS() float64 {
	runtime.GC()
	debug.FreeOSMemory()
	return procStatus("VmRSS")
}
