// Command wsc-sim runs go-wsc's many-node simulation (package sim) and prints
// its table: 20 hubs in one process on one embedded NATS server, users as
// in-memory connections, p2p, ticket and broadcast traffic, one node joining
// and one dying mid-run.
//
//	cd bench && go run ./cmd/wsc-sim                          # 20 nodes × 2,500 users, traffic
//	cd bench && go run ./cmd/wsc-sim -users 50000 -no-traffic # presence alone, 20 × 50,000
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"time"

	"github.com/go-wsc/go-wsc/bench/sim"
)

func main() {
	var c sim.Config
	flag.IntVar(&c.Nodes, "nodes", 20, "nodes, the one that joins mid-run included")
	flag.IntVar(&c.UsersPerNode, "users", 2500, "users (one connection each) per node")
	flag.DurationVar(&c.Heartbeat, "heartbeat", 0, "the hubs' cluster heartbeat (0: the default, 1s)")
	flag.BoolVar(&c.NoTraffic, "no-traffic", false, "presence only: no messages, no tickets")
	flag.Float64Var(&c.P2PRate, "p2p-rate", 1000, "p2p messages per second, all nodes together")
	flag.Float64Var(&c.TicketRate, "ticket-rate", 100, "ticket messages per second")
	flag.DurationVar(&c.BroadcastEvery, "broadcast-every", 0, "interval between broadcasts (0: 2s, negative: none)")
	flag.DurationVar(&c.Steady, "steady", 0, "the window bus traffic is measured over (0: 5s)")
	flag.BoolVar(&c.NoJoin, "no-join", false, "no node joins mid-run")
	flag.BoolVar(&c.NoKill, "no-kill", false, "no node dies mid-run")
	maxPayload := flag.Int("max-payload", 0, "the embedded NATS server's max_payload in bytes (0: NATS's default, 1 MiB)")
	perNode := flag.Bool("per-node", false, "also print the steady window per node")
	sizes := flag.Bool("sizes", false, "print the presence message sizes for -nodes × -users and the heartbeat traffic of both schemes, without running")
	flag.Parse()
	c.MaxPayload = int32(*maxPayload)
	if *sizes {
		printSizes(c)
		return
	}
	c.Log = os.Stderr

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	r, err := sim.Run(ctx, c)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wsc-sim:", err)
		os.Exit(1)
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("`wsc-sim %s` — GOMAXPROCS %d, load average at the end %s\n\n", strings.Join(os.Args[1:], " "),
		runtime.GOMAXPROCS(0), strings.Join(strings.Fields(string(load))[:3], " "))
	r.Print(os.Stdout)
	if *perNode {
		fmt.Println()
		r.PrintNodes(os.Stdout)
	}
	if r.Lost > 0 {
		os.Exit(2)
	}
}

// printSizes: the heartbeat traffic each node receives under the digest
// scheme and under the old one (every node's full list at every heartbeat).
func printSizes(c sim.Config) {
	hb := c.Heartbeat
	if hb == 0 {
		hb = time.Second
	}
	d, r := sim.PresenceSizes(c.UsersPerNode)
	others := float64(c.Nodes - 1)
	fmt.Printf("| %d nodes × %d users, heartbeat %s | digest scheme | full-list scheme |\n|---|---|---|\n", c.Nodes, c.UsersPerNode, hb)
	fmt.Printf("| one heartbeat | %d B | %d B |\n", d, r)
	fmt.Printf("| heartbeats received per node | %.0f B/s | %.0f B/s |\n", others*float64(d)/hb.Seconds(), others*float64(r)/hb.Seconds())
	fmt.Printf("| a node joining receives (the others' lists, once) | %.0f B | — |\n", others*float64(r))
}
