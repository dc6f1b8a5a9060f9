package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
)

// proc is wsc-server as a process of its own: the test binary started again
// as main (TestMain, WSC_TEST_MAIN), so a SIGKILL kills a real server with
// its real data directory and nothing of it survives in the test's memory.
type proc struct {
	t      testing.TB
	cmd    *exec.Cmd
	base   string        // http://127.0.0.1:port
	state  string        // its "state in …" start-up line
	exited chan struct{} // closed once the process is gone and its stderr read
	mu     sync.Mutex    // guards log: the reader goroutine writes it
	log    strings.Builder
}

var (
	listenLine = regexp.MustCompile(`listening on (127\.0\.0\.1:\d+)`)
	stateLine  = regexp.MustCompile(`wsc-server: (state in .*)`)
)

// startProc starts wsc-server with -dev-identity on a free loopback port and
// returns once it listens and has said where its state is; it fails the test
// with the process's output when the process exits first.
func startProc(t testing.TB, args ...string) *proc {
	t.Helper()
	return startProcIn(t, t.TempDir(), args...) // a default ./wsc-data would land there, never in the package
}

// startProcIn is startProc with the process's working directory (where its
// default -data-dir, ./wsc-data, is).
func startProcIn(t testing.TB, cwd string, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, exited: make(chan struct{})}
	p.cmd = exec.Command(os.Args[0])
	p.cmd.Env = append(os.Environ(), "WSC_TEST_MAIN="+strings.Join(append([]string{"-dev-identity", "-addr", "127.0.0.1:0"}, args...), " "))
	p.cmd.Dir = cwd
	stderr, err := p.cmd.StderrPipe()
	require.NoError(t, err)
	p.cmd.Stdout = io.Discard
	require.NoError(t, p.cmd.Start())
	ready := make(chan [2]string, 1)
	go p.read(stderr, ready)
	t.Cleanup(func() { p.stop(syscall.SIGKILL) }) // never leave a child behind

	select {
	case r := <-ready:
		p.base, p.state = "http://"+r[0], r[1]
	case <-p.exited:
		t.Fatalf("wsc-server exited at start:\n%s", p.output())
	case <-time.After(30 * time.Second):
		t.Fatalf("wsc-server did not listen within 30 s:\n%s", p.output())
	}
	return p
}

// read keeps the process's stderr, reports its address and state line, and,
// once the pipe closes (the process is gone), waits for it.
func (p *proc) read(r io.Reader, ready chan<- [2]string) {
	sc := bufio.NewScanner(r)
	var addr string
	sent := false
	for sc.Scan() {
		line := sc.Text()
		p.mu.Lock()
		p.log.WriteString(line + "\n")
		p.mu.Unlock()
		if m := listenLine.FindStringSubmatch(line); m != nil && addr == "" {
			addr = m[1]
		}
		if m := stateLine.FindStringSubmatch(line); m != nil && addr != "" && !sent {
			ready <- [2]string{addr, m[1]}
			sent = true
		}
	}
	_ = p.cmd.Wait()
	close(p.exited)
}

func (p *proc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// stop sends sig and waits until the process is gone; idempotent.
func (p *proc) stop(sig syscall.Signal) {
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.exited:
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
		p.t.Errorf("wsc-server did not exit on %v:\n%s", sig, p.output())
	}
}

// exitCode is the process's exit status once it is gone (-1: a signal).
func (p *proc) exitCode() int {
	<-p.exited
	return p.cmd.ProcessState.ExitCode()
}

// api sends one API request to the process and decodes its JSON answer.
func (p *proc) api(method, path, body string) (int, map[string]any) {
	p.t.Helper()
	return call(p.t, method, p.base+path, body)
}

// dialWS connects as user (which may go on with more of the query:
// "ann&last_event_id=…") and waits until the server lists the user online.
func (p *proc) dialWS(user string) *websocket.Conn {
	p.t.Helper()
	c, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(p.base, "http")+"/ws?user_id="+user, nil)
	user, _, _ = strings.Cut(user, "&")
	require.NoError(p.t, err)
	resp.Body.Close()
	p.t.Cleanup(func() { c.Close() })
	require.Eventually(p.t, func() bool {
		_, out := p.api("GET", "/api/users", "")
		users, _ := json.Marshal(out["users"])
		return strings.Contains(string(users), fmt.Sprintf("%q", user))
	}, 10*time.Second, 10*time.Millisecond, "%s online", user)
	return c
}
