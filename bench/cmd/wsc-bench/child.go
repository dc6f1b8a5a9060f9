package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-wsc/go-wsc/bench/hubs"
	"github.com/go-wsc/go-wsc/bench/load"
	"github.com/go-wsc/go-wsc/bench/remote"
)

// job is one workload on one hub, run in a child process of its own so that
// no hub inherits another's heap, goroutines or file descriptors.
type job struct {
	Hub      string `json:"hub"`
	Workload string `json:"workload"`
	Sizes    Sizes  `json:"sizes"`
	// WscServer is the built cmd/wsc-server, for the server-alone workloads.
	WscServer string `json:"wsc_server,omitempty"`
	// Run is the run's number, from 1 (names profiles).
	Run int `json:"run"`
}

// runJob runs j in this process.
func runJob(j job) (load.Result, error) {
	s := j.Sizes
	if strings.HasPrefix(j.Workload, "alone-") {
		return runAlone(j)
	}
	if strings.HasPrefix(j.Workload, "inproc") {
		cfg := load.Inproc{Users: s.InprocUsers, Msgs: s.InprocMsgs, Senders: senders(j.Workload), Timeout: s.Timeout * 2}
		if strings.HasPrefix(j.Workload, "inproc-facade") {
			cfg.Wait, cfg.Msgs = true, s.FacadeMsgs
		}
		return load.Routing(j.Hub, cfg)
	}
	newHub := hubs.New
	if j.Workload == "ack" && j.Hub == "actor" {
		newHub = func(string) (hubs.Hub, error) { return hubs.NewActorAck() }
	}
	h, err := newHub(j.Hub)
	if err != nil {
		return load.Result{}, err
	}
	switch j.Workload {
	case "p2p":
		return load.P2P(h, s.traffic(s.Clients, s.Msgs, s.Payload, 0))
	case "broadcast":
		return load.Broadcast(h, s.traffic(s.Clients, s.Msgs, s.Payload, 0))
	case "broadcast-big":
		return load.Broadcast(h, s.traffic(s.BigClients, s.BigMsgs, s.Payload, 0))
	case "p2p-ref":
		return load.P2P(h, s.traffic(s.Clients, s.SlowMsgs, s.SlowPayload, 0))
	case "p2p-slow":
		return load.P2P(h, s.traffic(s.Clients, s.SlowMsgs, s.SlowPayload, s.SlowEvery))
	case "broadcast-ref":
		return load.Broadcast(h, s.traffic(s.Clients, s.SlowMsgs, s.SlowPayload, 0))
	case "broadcast-slow":
		return load.Broadcast(h, s.traffic(s.Clients, s.SlowMsgs, s.SlowPayload, s.SlowEvery))
	case "ack":
		return load.AckRoundTrip(h, load.Ack{Clients: s.AckClients, Msgs: s.AckMsgs, Senders: s.AckSenders, Timeout: 2 * s.Timeout})
	case "idle":
		return load.IdleConns(h, load.Idle{Conns: s.Idle, Spawn: idleClientCmd})
	}
	h.Close()
	return load.Result{}, fmt.Errorf("unknown workload %q", j.Workload)
}

// runAlone runs a server-alone workload: the hub in a child of this process
// (cmd/wsc-server, or this binary with -serve), the load here.
func runAlone(j job) (load.Result, error) {
	s := j.Sizes
	exe, err := os.Executable()
	if err != nil {
		return load.Result{}, err
	}
	args := s.ServerArgs
	if j.Workload == "alone-ack" {
		args = append([]string{"-enable-ack"}, args...) // every message waits for its receiver's ack
	}
	srv, err := remote.Start(j.Hub, remote.Options{WscServer: j.WscServer, Self: exe, Args: args})
	if err != nil {
		return load.Result{}, err
	}
	defer srv.Close()
	t := s.traffic(s.AloneClients, s.AloneMsgs, s.Payload, 0)
	t.Chat = s.AloneChat
	profiled := make(chan error, 1)
	if s.ProfileDir != "" {
		file := filepath.Join(s.ProfileDir, fmt.Sprintf("%s-%s-%d.pprof", j.Workload, j.Hub, j.Run))
		t.OnTraffic = func() { profiled <- srv.Profile(s.ProfileFor, file) }
	} else {
		profiled <- nil
	}
	var res load.Result
	h := keepOpen{srv} // the workload's Close must not end a profile being taken
	switch j.Workload {
	case "alone-p2p":
		res, err = load.P2P(h, t)
	case "alone-broadcast":
		t.Msgs, t.Callers = s.AloneBroadcasts, s.AloneCallers
		res, err = load.Broadcast(h, t)
	case "alone-broadcast-big":
		t.Clients, t.Msgs, t.Callers = s.AloneBig, s.AloneBigMsgs, s.AloneCallers
		res, err = load.Broadcast(h, t)
	case "alone-paced":
		t.Rate = s.PacedRate
		t.Msgs = int(s.PacedRate * s.PacedFor.Seconds())
		t.Timeout = s.PacedFor + s.Timeout
		res, err = load.P2P(h, t)
	case "alone-idle":
		res, err = load.IdleConns(h, load.Idle{Conns: s.AloneIdle, Spawn: idleClientCmd})
	case "alone-ack":
		res, err = load.AckRoundTrip(h, load.Ack{Clients: s.AloneAckClients, Msgs: s.AloneAckMsgs, Senders: s.AloneAckCallers,
			Timeout: 2 * s.Timeout, OnTraffic: t.OnTraffic})
	default:
		err = fmt.Errorf("unknown workload %q", j.Workload)
	}
	if err == nil && j.Workload != "alone-idle" {
		err = <-profiled // bounded: the profile's length and its client's timeout
	}
	srv.Close()
	if err == nil {
		if cerr := srv.Err(); cerr != nil {
			err = fmt.Errorf("%s ended badly: %w", j.Hub, cerr)
		}
	}
	return res, err
}

// childMain is the -job mode: run one job, print its result as JSON.
func childMain(spec string) int {
	var j job
	if err := json.Unmarshal([]byte(spec), &j); err != nil {
		fmt.Fprintln(os.Stderr, "wsc-bench: bad job:", err)
		return 2
	}
	res, err := runJob(j)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wsc-bench:", err)
		return 1
	}
	res.Hub, res.Workload, res.Run = j.Hub, j.Workload, j.Run
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		return 1
	}
	return 0
}

// idleClientCmd re-runs this binary as the idle workload's client process.
func idleClientCmd(url string, n, dial int) *exec.Cmd {
	exe, _ := os.Executable()
	cmd := exec.Command(exe, "-idle-client", url, "-idle-n", strconv.Itoa(n), "-idle-dial", strconv.Itoa(dial))
	cmd.Stderr = os.Stderr
	return cmd
}

// keepOpen is a served hub whose Close is left to runAlone, which stops the
// child once the profile (if any) is written.
type keepOpen struct{ *remote.Server }

func (keepOpen) Close() {}
