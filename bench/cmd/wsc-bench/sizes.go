package main

import (
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-wsc/go-wsc/bench/load"
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
}

// Workloads, in report order.
var allWorkloads = []string{"p2p", "broadcast", "broadcast-big", "p2p-ref", "p2p-slow", "broadcast-ref", "broadcast-slow",
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
		"p2p":             fmt.Sprintf("p2p: %d clients in pairs, %d messages each to the partner through the hub", s.Clients, s.Msgs),
		"broadcast":       fmt.Sprintf("broadcast: %d receivers × %d broadcasts", s.Clients, s.Msgs),
		"broadcast-big":   fmt.Sprintf("broadcast-big: %d receivers × %d broadcasts (issue: 10,000; one process holds both ends, 2 fds each, under a 20,000 fd limit)", s.BigClients, s.BigMsgs),
		"p2p-ref":         fmt.Sprintf("p2p-ref / p2p-slow: %d clients, %d messages of %d B each; -slow: every %d-th client never reads (nor sends) and its partner sends to it regardless", s.Clients, s.SlowMsgs, s.SlowPayload, s.SlowEvery),
		"broadcast-ref":   fmt.Sprintf("broadcast-ref / broadcast-slow: %d receivers × %d broadcasts of %d B; -slow: every %d-th receiver never reads", s.Clients, s.SlowMsgs, s.SlowPayload, s.SlowEvery),
		"idle":            fmt.Sprintf("idle: %d connections held open by a separate client process; RSS is the server process's VmRSS growth after GC", s.Idle),
		"inproc-1":        fmt.Sprintf("inproc-N: %d users, %d messages from N senders, fire-and-forget, timed until every frame reached its connection's writer", s.InprocUsers, s.InprocMsgs),
		"ack":             fmt.Sprintf("ack: %d auto-acking clients; %d goroutines call Hub.SendToUserWithAck (ACK on), each waiting for the ack, %d messages; latency is send to ack outcome (go-wsc only: the baselines have no ACK)", s.AckClients, s.AckSenders, s.AckMsgs),
		"inproc-facade-8": fmt.Sprintf("inproc-facade-8: go-wsc's Hub.SendToUser (waits for the hub's answer), 8 senders, %d messages", s.FacadeMsgs),
	}
	var out []string
	for _, w := range workloads {
		if v, ok := d[w]; ok {
			out = append(out, v)
		}
	}
	out = append(out, fmt.Sprintf("window: each sender keeps at most %d messages in flight to a healthy receiver; traffic bound %v, a stall of 3 s ends it early", s.Window, s.Timeout))
	return out
}

func senders(w string) int {
	n, _ := strconv.Atoi(w[strings.LastIndexByte(w, '-')+1:])
	return n
}
