package remote

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// The names of go-wsc's server among the hubs: as deployed (durable, a data
// directory on disk) and with -memory (nothing survives a restart), to tell
// what durability costs in the same run; wsc-server-batch is the deployed
// server whose clients ask for batches (?batch=1, PROTOCOL.md): several
// queued messages in one frame, as a JSON array.
const (
	WscServer       = "wsc-server"
	WscServerMemory = "wsc-server-memory"
	WscServerBatch  = "wsc-server-batch"
)

// IsWscServer reports whether hub name is cmd/wsc-server (any variant).
func IsWscServer(name string) bool {
	return name == WscServer || name == WscServerMemory || name == WscServerBatch
}

// Options say how to start a child.
type Options struct {
	// WscServer is the path of a built cmd/wsc-server (for WscServer).
	WscServer string
	// Self is the bench binary, run with -serve NAME for the other hubs.
	Self string
	// Args are added to cmd/wsc-server's command line (after the bench's
	// own); the other hubs take none.
	Args []string
	// Ready bounds the start-up; zero: 30 s.
	Ready time.Duration
}

// WscServerArgs are the flags the bench gives cmd/wsc-server; everything else
// stays at its default (records on, 10,000 of them, origin check, limits).
//
//   - -dev-identity: the load's clients say who they are with ?user_id=,
//     which the server trusts only in development mode.
//   - -rate-limit 0, -max-conns-per-user 0 and -max-conns-per-ip 0: the
//     protective limits, off (on by default: 100 frames/s with a burst of
//     200, 32 connections per user, 1,024 per client address with loopback
//     exempt); the load's clients send as fast as their window lets them,
//     far past 100/s, all from 127.0.0.1.
//   - -pprof: a profile of the server under load, and a GC before the idle
//     workload reads the RSS, on a listener of its own on 127.0.0.1.
var WscServerArgs = []string{"-addr", "127.0.0.1:0", "-dev-identity", "-rate-limit", "0", "-max-conns-per-user", "0",
	"-max-conns-per-ip", "0", "-pprof", "127.0.0.1:0"}

// Server is a hub served by a child process.
type Server struct {
	Name  string
	pid   int
	base  string // http://127.0.0.1:port
	ws    string // the WebSocket URL, to which the load adds user_id=
	pprof string // http://127.0.0.1:port of the profiles
	cmd   *exec.Cmd
	http  *http.Client
	log   *tail
	done  chan struct{} // closed when the child has exited
	err   error         // the child's exit, once done is closed
	once  sync.Once
	// dataDir is the wsc-server child's data directory, removed by Close.
	dataDir string
	wsc     bool // the child is cmd/wsc-server
}

var (
	listenRE = regexp.MustCompile(`listening on (127\.0\.0\.1:\d+)`)
	pprofRE  = regexp.MustCompile(`pprof at http://(127\.0\.0\.1:\d+)/`)
)

// Start runs hub name in a child and returns once it listens.
func Start(name string, o Options) (*Server, error) {
	var cmd *exec.Cmd
	s := &Server{Name: name, log: &tail{}, done: make(chan struct{}), wsc: IsWscServer(name)}
	switch name {
	case WscServer, WscServerBatch:
		// a fresh data directory per start: durable, as deployed, and no state
		// left from an earlier run (a -data-dir or -memory in o.Args wins)
		dir, err := os.MkdirTemp("", "wsc-bench-data-")
		if err != nil {
			return nil, err
		}
		s.dataDir = dir
		args := append(append([]string{}, WscServerArgs...), "-data-dir", dir)
		cmd = exec.Command(o.WscServer, append(args, o.Args...)...)
	case WscServerMemory:
		args := append(append([]string{}, WscServerArgs...), "-memory")
		cmd = exec.Command(o.WscServer, append(args, o.Args...)...)
	default:
		// o.Args are cmd/wsc-server's flags: this binary's -serve knows none of them
		cmd = exec.Command(o.Self, "-serve", name, "-serve-addr", "127.0.0.1:0")
	}
	if o.Ready == 0 {
		o.Ready = 30 * time.Second
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s.cmd, s.pid = cmd, cmd.Process.Pid
	addrs := make(chan [2]string, 1)
	go s.read(stderr, s.wsc, addrs)
	go func() { s.err = cmd.Wait(); close(s.done) }()

	select {
	case a := <-addrs:
		s.base, s.pprof = "http://"+a[0], a[1]
	case <-s.done:
		if s.dataDir != "" {
			_ = os.RemoveAll(s.dataDir)
		}
		return nil, fmt.Errorf("remote: %s exited at start: %v: %s", name, s.err, s.log)
	case <-time.After(o.Ready):
		s.Close()
		return nil, fmt.Errorf("remote: %s did not listen within %v: %s", name, o.Ready, s.log)
	}
	switch {
	case name == WscServerBatch:
		s.ws = "ws://" + strings.TrimPrefix(s.base, "http://") + "/ws?batch=1"
	case s.wsc:
		s.ws = "ws://" + strings.TrimPrefix(s.base, "http://") + "/ws"
	default:
		s.ws = "ws://" + strings.TrimPrefix(s.base, "http://") + "/"
	}
	// as many idle connections as the most concurrent callers (alone-ack's 64)
	s.http = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
	return s, nil
}

// read follows the child's stderr: it finds the addresses it listens on, then
// keeps the last lines for error messages.
func (s *Server) read(r io.Reader, wantPprof bool, addrs chan<- [2]string) {
	sc := bufio.NewScanner(r)
	var listen, prof string
	sent := false
	for sc.Scan() {
		line := sc.Text()
		s.log.add(line)
		if m := listenRE.FindStringSubmatch(line); m != nil && listen == "" {
			listen = m[1]
		}
		if m := pprofRE.FindStringSubmatch(line); m != nil && prof == "" {
			prof = "http://" + m[1]
		}
		if !sent && listen != "" && (prof != "" || !wantPprof) {
			if prof == "" {
				prof = "http://" + listen // the served hubs have the profiles on their one mux
			}
			addrs <- [2]string{listen, prof}
			sent = true
		}
	}
}

// URL is the WebSocket URL the clients dial, with user_id=<id> added to its
// query.
func (s *Server) URL() string { return s.ws }

// Pid is the child's process id.
func (s *Server) Pid() int { return s.pid }

// PprofURL is the base URL of the child's net/http/pprof.
func (s *Server) PprofURL() string { return s.pprof }

// CPU is the CPU time the child has used so far (user + system, all threads).
func (s *Server) CPU() (time.Duration, error) { return procCPU(s.pid) }

// RSSKB is the child's resident set, in KiB.
func (s *Server) RSSKB() (float64, error) { return procStatusKB(s.pid, "VmRSS") }

// PeakRSSKB is the child's peak resident set, in KiB.
func (s *Server) PeakRSSKB() (float64, error) { return procStatusKB(s.pid, "VmHWM") }

// SettledRSSKB asks the child for a GC (a heap profile with gc=1) and then
// reads its resident set.
func (s *Server) SettledRSSKB() (float64, error) {
	resp, err := s.http.Get(s.pprof + "/debug/pprof/heap?gc=1")
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return s.RSSKB()
}

// Handler is nil: the hub is served by the child, at URL.
func (s *Server) Handler() http.Handler { return nil }

// Connections is the number of connections the child's hub has registered.
func (s *Server) Connections() int {
	path := "/bench/connections"
	if s.wsc {
		path = "/api/stats"
	}
	resp, err := s.http.Get(s.base + path)
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	var st struct {
		Connections int `json:"connections"`
	}
	if json.NewDecoder(resp.Body).Decode(&st) != nil {
		return -1
	}
	return st.Connections
}

// SendToUser sends payload as a message's content to user, through the
// child's HTTP API.
func (s *Server) SendToUser(user string, payload []byte) error {
	if s.wsc {
		return s.post("/api/send", map[string]any{"to": user, "content": string(payload)})
	}
	return s.postRaw("/bench/send?user="+url.QueryEscape(user), payload)
}

// Broadcast sends payload as a message's content to every connection, through
// the child's HTTP API.
func (s *Server) Broadcast(payload []byte) error {
	if s.wsc {
		return s.post("/api/send", map[string]any{"broadcast": true, "content": string(payload)})
	}
	return s.postRaw("/bench/broadcast", payload)
}

// SendWithAck sends payload to user through cmd/wsc-server's HTTP API with
// "wait": true: it returns once the receiver has acked the message (the
// server started with -enable-ack), as an API caller that must know would.
// The other hubs have no acks.
func (s *Server) SendWithAck(user string, payload []byte) error {
	if !s.wsc {
		return fmt.Errorf("remote: %s has no acks", s.Name)
	}
	return s.post("/api/send", map[string]any{"to": user, "content": string(payload), "wait": true})
}

func (s *Server) post(path string, body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	return s.postRaw(path, b)
}

func (s *Server) postRaw(path string, body []byte) error {
	resp, err := s.http.Post(s.base+path, "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("remote: %s %s: %s: %s", s.Name, path, resp.Status, bytes.TrimSpace(msg))
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return nil
}

// Close asks the child to stop (SIGTERM: wsc-server closes its connections
// with 1001 and shuts its hub down) and waits for it, killing it after 20 s.
func (s *Server) Close() {
	s.once.Do(func() {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(20 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.done
		}
		if s.http != nil {
			s.http.CloseIdleConnections()
		}
		if s.dataDir != "" {
			_ = os.RemoveAll(s.dataDir)
		}
	})
}

// Err is how the child ended (nil while it runs, or after a clean stop).
func (s *Server) Err() error {
	select {
	case <-s.done:
		var ee *exec.ExitError
		if errors.As(s.err, &ee) && !ee.Exited() {
			return nil // ended by the signal Close sent
		}
		return s.err
	default:
		return nil
	}
}

// tail keeps the last lines a child wrote.
type tail struct {
	mu    sync.Mutex
	lines []string
}

func (t *tail) add(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines = append(t.lines, line)
	if len(t.lines) > 20 {
		t.lines = t.lines[len(t.lines)-20:]
	}
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, " / ")
}

// Profile writes a CPU profile of the child over the next d to file.
func (s *Server) Profile(d time.Duration, file string) error {
	c := &http.Client{Timeout: d + 30*time.Second}
	resp, err := c.Get(fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", s.pprof, max(1, int(d.Seconds()))))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("remote: profile of %s: %s", s.Name, resp.Status)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
