package main

import (
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-wsc/go-wsc/bench/load"
	"github.com/go-wsc/go-wsc/bench/remote"
)

// Sizes are the workload sizes, set by flags and handed to each child process.
type Sizes struct {
	Clients      int           `json:"clients"`
	Msgs         int           `json:"msgs"`
	Payload      int           `json:"payload"`
	BigClients   int           `json:"big_clients"`
	BigMsgs      int           `json:"big_msgs"`
	SlowMsgs     int           `json:"slow_msgs"`
	SlowPayload  int           `json:"slow_payload"`
	SlowEvery    int           `json:"slow_every"`
	Window       int           `json:"window"`
	Idle         int           `json:"idle"`
	InprocUsers  int           `json:"inproc_users"`
	InprocMsgs   int           `json:"inproc_msgs"`
	FacadeMsgs   int           `json:"facade_msgs"`
	AckClients   int           `json:"ack_clients"`
	AckMsgs      int           `json:"ack_msgs"`
	AckSenders   int           `json:"ack_senders"`
	Timeout      time.Duration `json:"timeout"`
	ChildTimeout time.Duration `json:"child_timeout"`

	// The server-alone workloads (alone-*): the hub in a child process.
	AloneClients    int           `json:"alone_clients"`
	AloneMsgs       int           `json:"alone_msgs"`
	AloneBroadcasts int           `json:"alone_broadcasts"`
	AloneCallers    int           `json:"alone_callers"`
	AloneBig        int           `json:"alone_big"`
	AloneBigMsgs    int           `json:"alone_big_msgs"`
	PacedRate       float64       `json:"paced_rate"`
	PacedFor        time.Duration `json:"paced_for"`
	AloneIdle       int           `json:"alone_idle"`
	AloneChat       bool          `json:"alone_chat"`
	AloneAckClients int           `json:"alone_ack_clients"`
	AloneAckMsgs    int           `json:"alone_ack_msgs"`
	AloneAckCallers int           `json:"alone_ack_callers"`
	ServerArgs      []string      `json:"server_args,omitempty"`
	// ProfileDir, when set, gets a CPU profile of the server of every
	// server-alone traffic run (<workload>-<hub>-<run>.pprof), ProfileFor long.
	ProfileDir string        `json:"profile_dir,omitempty"`
	ProfileFor time.Duration `json:"profile_for,omitempty"`
}

func (s *Sizes) flags(fs *flag.FlagSet) {
	fs.IntVar(&s.Clients, "clients", 1000, "clients in p2p, broadcast and the slow-consumer workloads (even)")
	fs.IntVar(&s.Msgs, "msgs", 100, "messages per p2p client, and broadcasts, in p2p and broadcast")
	fs.IntVar(&s.Payload, "payload", 0, "content bytes in p2p and broadcast (0: ~22-byte seq and timestamp)")
	fs.IntVar(&s.BigClients, "big-clients", 8000, "receivers in broadcast-big (clients and server share one process: 2 fds each)")
	fs.IntVar(&s.BigMsgs, "big-msgs", 10, "broadcasts in broadcast-big")
	fs.IntVar(&s.SlowMsgs, "slow-msgs", 300, "messages per client (or broadcasts) in the slow-consumer workloads: more than a 256-frame queue")
	fs.IntVar(&s.SlowPayload, "slow-payload", 256, "content bytes in the slow-consumer workloads")
	fs.IntVar(&s.SlowEvery, "slow-every", 100, "every n-th client never reads in *-slow (100: 1%)")
	fs.IntVar(&s.Window, "window", 16, "messages a sender keeps in flight to a healthy receiver")
	fs.IntVar(&s.Idle, "idle", 10000, "idle connections (clients in a separate process)")
	fs.IntVar(&s.InprocUsers, "inproc-users", 10000, "users in the in-process routing workloads")
	fs.IntVar(&s.InprocMsgs, "inproc-msgs", 300000, "messages per in-process fire-and-forget routing run")
	fs.IntVar(&s.FacadeMsgs, "facade-msgs", 100000, "messages per in-process routing run through go-wsc's waiting facade")
	fs.IntVar(&s.AckClients, "ack-clients", 1000, "auto-acking clients in the ack workload")
	fs.IntVar(&s.AckMsgs, "ack-msgs", 20000, "messages sent with ACK on in the ack workload")
	fs.IntVar(&s.AckSenders, "ack-senders", 64, "goroutines sending with ACK on, each waiting for its ack")
	fs.DurationVar(&s.Timeout, "timeout", 30*time.Second, "bound on each workload's traffic; what has not arrived then is lost")
	fs.DurationVar(&s.ChildTimeout, "child-timeout", 5*time.Minute, "bound on each child process")
	fs.IntVar(&s.AloneClients, "alone-clients", 1000, "clients of the server-alone traffic workloads (even)")
	fs.IntVar(&s.AloneMsgs, "alone-msgs", 500, "messages per client in alone-p2p (1,000 × 500: the issue's 500,000)")
	fs.IntVar(&s.AloneBroadcasts, "alone-broadcasts", 300, "broadcasts in alone-broadcast, through the server's HTTP API")
	fs.IntVar(&s.AloneCallers, "alone-callers", 4, "concurrent API callers in alone-broadcast and alone-broadcast-big")
	fs.IntVar(&s.AloneBig, "alone-big", 10000, "receivers in alone-broadcast-big (the server holds them in its own process: 10,000 fds)")
	fs.IntVar(&s.AloneBigMsgs, "alone-big-msgs", 60, "broadcasts in alone-broadcast-big (60: at 20 a run lasted about a second, mostly ramp)")
	fs.Float64Var(&s.PacedRate, "paced-rate", 20, "messages per second per client in alone-paced")
	fs.DurationVar(&s.PacedFor, "paced-for", 10*time.Second, "how long each client sends in alone-paced")
	fs.IntVar(&s.AloneIdle, "alone-idle", 10000, "idle connections in alone-idle")
	fs.BoolVar(&s.AloneChat, "alone-chat", true, `server-alone messages carry a line of chat text with a quote and a newline (\" and \n in JSON)`)
	fs.IntVar(&s.AloneAckClients, "alone-ack-clients", 100, "auto-acking clients in alone-ack")
	fs.IntVar(&s.AloneAckMsgs, "alone-ack-msgs", 20000, "messages in alone-ack, each sent with POST /api/send and \"wait\": true")
	fs.IntVar(&s.AloneAckCallers, "alone-ack-callers", 64, "concurrent API callers in alone-ack, each waiting for its ack before the next send")
	fs.StringVar(&s.ProfileDir, "profile-dir", "", "write a CPU profile of the server of each server-alone traffic run here (go tool pprof)")
	fs.DurationVar(&s.ProfileFor, "profile-for", 5*time.Second, "length of each -profile-dir profile, from the start of the traffic")
}

// Workloads, in report order: first the server alone (issue 14), then the
// in-process hubs of issue 7.
var allWorkloads = []string{"alone-p2p", "alone-ack", "alone-broadcast", "alone-broadcast-big", "alone-paced", "alone-idle", "p2p", "broadcast", "broadcast-big", "p2p-ref", "p2p-slow", "broadcast-ref", "broadcast-slow",
	"idle", "inproc-1", "inproc-8", "inproc-64", "inproc-facade-8", "ack"}

func parseList(s string, all []string) ([]string, error) {
	if s == "" || s == "all" {
		return all, nil
	}
	var out []string
	for _, x := range strings.Split(s, ",") {
		x = strings.TrimSpace(x)
		if !slices.Contains(all, x) {
			return nil, fmt.Errorf("unknown %q (one of %s)", x, strings.Join(all, ", "))
		}
		out = append(out, x)
	}
	return out, nil
}

func (s Sizes) traffic(clients, msgs, payload, slowEvery int) load.Traffic {
	return load.Traffic{Clients: clients, Msgs: msgs, Payload: payload, SlowEvery: slowEvery, Window: s.Window, Timeout: s.Timeout}
}

// describe says how big each workload is, for RESULTS.md.
func (s Sizes) describe(workloads []string) []string {
	d := map[string]string{
		"alone-p2p":           fmt.Sprintf("alone-p2p: the server in a child process, the load in another; %d clients in pairs, %d messages each to the partner (%d in all); chat text in the content (with escapes): %v", s.AloneClients, s.AloneMsgs, s.AloneClients*s.AloneMsgs, s.AloneChat),
		"alone-ack":           fmt.Sprintf("alone-ack: wsc-server with -enable-ack; %d auto-acking clients; %d concurrent callers of POST /api/send with \"wait\": true (answered once the receiver's ack is back), %d messages; latency is the API call's", s.AloneAckClients, s.AloneAckCallers, s.AloneAckMsgs),
		"alone-broadcast":     fmt.Sprintf("alone-broadcast: %d receivers × %d broadcasts sent through the server's HTTP API by %d concurrent callers", s.AloneClients, s.AloneBroadcasts, s.AloneCallers),
		"alone-broadcast-big": fmt.Sprintf("alone-broadcast-big: %d receivers × %d broadcasts through the HTTP API by %d concurrent callers", s.AloneBig, s.AloneBigMsgs, s.AloneCallers),
		"alone-paced":         fmt.Sprintf("alone-paced: %d clients in pairs, each sending %.0f msg/s to its partner for %v (latency at a moderate load)", s.AloneClients, s.PacedRate, s.PacedFor),
		"alone-idle":          fmt.Sprintf("alone-idle: %d idle connections; RSS is the server process's VmRSS growth after a GC (asked for through its pprof endpoint)", s.AloneIdle),
		"p2p":                 fmt.Sprintf("p2p: %d clients in pairs, %d messages each to the partner through the hub", s.Clients, s.Msgs),
		"broadcast":           fmt.Sprintf("broadcast: %d receivers × %d broadcasts", s.Clients, s.Msgs),
		"broadcast-big":       fmt.Sprintf("broadcast-big: %d receivers × %d broadcasts (issue: 10,000; one process holds both ends, 2 fds each, under a 20,000 fd limit)", s.BigClients, s.BigMsgs),
		"p2p-ref":             fmt.Sprintf("p2p-ref / p2p-slow: %d clients, %d messages of %d B each; -slow: every %d-th client never reads (nor sends) and its partner sends to it regardless", s.Clients, s.SlowMsgs, s.SlowPayload, s.SlowEvery),
		"broadcast-ref":       fmt.Sprintf("broadcast-ref / broadcast-slow: %d receivers × %d broadcasts of %d B; -slow: every %d-th receiver never reads", s.Clients, s.SlowMsgs, s.SlowPayload, s.SlowEvery),
		"idle":                fmt.Sprintf("idle: %d connections held open by a separate client process; RSS is the server process's VmRSS growth after GC", s.Idle),
		"inproc-1":            fmt.Sprintf("inproc-N: %d users, %d messages from N senders, fire-and-forget, timed until every frame reached its connection's writer", s.InprocUsers, s.InprocMsgs),
		"ack":                 fmt.Sprintf("ack: %d auto-acking clients; %d goroutines call Hub.SendToUserWithAck (ACK on), each waiting for the ack, %d messages; latency is send to ack outcome (go-wsc only: the baselines have no ACK)", s.AckClients, s.AckSenders, s.AckMsgs),
		"inproc-facade-8":     fmt.Sprintf("inproc-facade-8: go-wsc's Hub.SendToUser (waits for the hub's answer), 8 senders, %d messages", s.FacadeMsgs),
	}
	var out []string
	for _, w := range workloads {
		if v, ok := d[w]; ok {
			out = append(out, v)
		}
	}
	if slices.ContainsFunc(workloads, isAlone) {
		out = append(out, "server alone: wsc-server is cmd/wsc-server built from this commit with its defaults (records on, 10,000 of them; state on disk in a fresh data directory) and `"+
			strings.Join(append(slices.Clone(remote.WscServerArgs), s.ServerArgs...), " ")+
			"`: -dev-identity because the clients name themselves with ?user_id=; -rate-limit 0, -max-conns-per-user 0 and -max-conns-per-ip 0 turn the protective limits off (on by default: 100 frames/s per connection with a burst of 200, 32 connections per user, 1,024 per client address, loopback exempt), because the load's clients send far past 100 frames/s, all from 127.0.0.1; -pprof for profiles and the idle workload's GC. wsc-server-memory is the same with -memory (alone-p2p, alone-ack and alone-paced only); wsc-server-batch is wsc-server whose clients connect with ?batch=1 (PROTOCOL.md: what is queued for a connection goes as one frame, a JSON array; the broadcasts only; msgs/frame says how many messages a frame carried). "+
			"chat is the gorilla chat example's design with a user index (one goroutine owns the maps, encoding/json, one message per frame) and ceiling the no-hub ceiling (each reader writes the frame straight to its partner's socket), each served by `wsc-bench -serve` in a child process")
	}
	out = append(out, fmt.Sprintf("window: each sender keeps at most %d messages in flight to a healthy receiver; traffic bound %v, a stall of 3 s ends it early", s.Window, s.Timeout))
	return out
}

func senders(w string) int {
	n, _ := strconv.Atoi(w[strings.LastIndexByte(w, '-')+1:])
	return n
}
