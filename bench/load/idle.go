package load

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/go-wsc/go-wsc/bench/hubs"
)

// Idle sizes the idle-connections workload.
type Idle struct {
	// Conns is how many connections are opened and held.
	Conns int
	// Dial is how many are dialled at a time; zero: 64.
	Dial int
	// Spawn, when set, makes the command of a client process that runs
	// RunIdleClients against url with n connections, so that the server's RSS
	// holds no client and each process has its own file descriptors. Nil: the
	// clients are dialled in this process and their memory is counted too.
	Spawn func(url string, n, dial int) *exec.Cmd
	// Timeout bounds connecting; zero: 2 min.
	Timeout time.Duration
}

// IdleConns opens Conns connections that send nothing and measures the
// server's RSS and heap per connection and the connect rate.
func IdleConns(h hubs.Hub, cfg Idle) (res Result, err error) {
	if cfg.Dial == 0 {
		cfg.Dial = 64
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 2 * time.Minute
	}
	defer h.Close()
	url, stopServer, err := serve(h, 0)
	if err != nil {
		return res, err
	}
	defer stopServer()
	served, alone := h.(Served)
	if alone && cfg.Spawn == nil {
		return res, fmt.Errorf("bench: a served hub's idle clients need a process of their own (Spawn)")
	}

	rss0, g0 := settledRSS(), runtime.NumGoroutine()
	heap0 := liveHeap()
	if alone {
		if rss0, err = served.SettledRSSKB(); err != nil {
			return res, err
		}
	}
	var release func()
	if cfg.Spawn == nil {
		ctx, cancel := context.WithTimeout(context.Background(), cfg.Timeout)
		defer cancel()
		conns, rate, err := dialAll(ctx, url, cfg.Conns, cfg.Dial, nil)
		if err != nil {
			return res, err
		}
		res.ConnectRate, res.Note = rate, "clients in the same process: their memory is included"
		release = func() { closeAll(conns) }
	} else {
		rate, stop, err := spawnClients(cfg.Spawn(url, cfg.Conns, cfg.Dial), cfg.Timeout)
		if err != nil {
			return res, err
		}
		res.ConnectRate, release = rate, stop
	}
	defer release()
	if err := waitConnections(h, cfg.Conns, time.Minute); err != nil {
		return res, err
	}
	time.Sleep(200 * time.Millisecond) // let the last registrations settle before measuring
	res.Clients = cfg.Conns
	if alone {
		// the server process alone: its RSS after a GC; heap and goroutines
		// are not visible from here
		rss1, err := served.SettledRSSKB()
		if err != nil {
			return res, err
		}
		res.RSSPerConnKB = (rss1 - rss0) / float64(cfg.Conns)
		res.PeakRSSMB = peakRSSMB(h)
		return res, nil
	}
	rss1 := settledRSS()
	res.RSSPerConnKB = (rss1 - rss0) / float64(cfg.Conns)
	res.HeapPerConnKB = (float64(liveHeap()) - float64(heap0)) / 1024 / float64(cfg.Conns)
	res.GoroutinesConn = float64(runtime.NumGoroutine()-g0) / float64(cfg.Conns)
	res.PeakRSSMB = procStatus("VmHWM") / 1024
	return res, nil
}

// spawnClients starts the client process and waits for its "ok <rate>" line;
// stop closes its stdin (it then hangs up and exits) and waits for it.
func spawnClients(cmd *exec.Cmd, within time.Duration) (rate float64, stop func(), err error) {
	in, err := cmd.StdinPipe()
	if err != nil {
		return 0, nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, nil, err
	}
	if err := cmd.Start(); err != nil {
		return 0, nil, err
	}
	exited := make(chan struct{})
	stop = func() {
		in.Close()
		go func() { _, _ = io.Copy(io.Discard, out) }()
		go func() { _ = cmd.Wait(); close(exited) }()
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(out).ReadString('\n')
		line <- s
	}()
	select {
	case s := <-line:
		if r, ok := strings.CutPrefix(strings.TrimSpace(s), "ok "); ok {
			rate, err = strconv.ParseFloat(r, 64)
			if err == nil {
				return rate, stop, nil
			}
		}
		stop()
		return 0, nil, fmt.Errorf("bench: idle clients: %q", strings.TrimSpace(s))
	case <-time.After(within):
		stop()
		return 0, nil, fmt.Errorf("bench: idle clients did not connect within %v", within)
	}
}

// RunIdleClients is the client process of IdleConns: it dials n connections to
// url (dial at a time), writes "ok <connections/s>" (or "err <reason>") to out,
// holds them until in ends, then hangs up.
func RunIdleClients(url string, n, dial int, in io.Reader, out io.Writer) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conns, rate, err := dialAll(ctx, url, n, dial, nil)
	if err != nil {
		fmt.Fprintf(out, "err %v\n", err)
		return err
	}
	defer closeAll(conns)
	fmt.Fprintf(out, "ok %.1f\n", rate)
	_, _ = io.Copy(io.Discard, in)
	return nil
}
