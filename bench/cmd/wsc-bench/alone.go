package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-wsc/go-wsc/bench/hubs"
	"github.com/go-wsc/go-wsc/bench/remote"
)

// The server-alone hubs: go-wsc as cmd/wsc-server (on disk, with -memory,
// and on disk with batching clients), and the baselines this binary serves
// with -serve.
var aloneHubs = append([]string{remote.WscServer, remote.WscServerMemory, remote.WscServerBatch}, hubs.ServedNames...)

// allHubs is what -hubs accepts.
var allHubs = append(slices.Clone(hubs.Names), aloneHubs...)

func isAlone(w string) bool { return strings.HasPrefix(w, "alone-") }

// hubsFor is the hubs of hs that workload w runs on: the server-alone hubs
// for alone-* (the ceiling has no broadcast; alone-ack is wsc-server's
// only: the baselines have no acks; wsc-server-memory runs alone-p2p,
// alone-ack (what issue 13's goals compare with the disk) and alone-paced
// (what the store's writer costs at a moderate rate); wsc-server-batch runs
// the broadcasts, where a connection has many messages queued at once and
// batching can pack them), the in-process ones otherwise.
func hubsFor(w string, hs []string) []string {
	var out []string
	for _, h := range hs {
		switch {
		case isAlone(w) && slices.Contains(aloneHubs, h):
			switch {
			case h == "ceiling" && strings.HasPrefix(w, "alone-broadcast"),
				w == "alone-ack" && !remote.IsWscServer(h),
				h == remote.WscServerMemory && w != "alone-p2p" && w != "alone-ack" && w != "alone-paced",
				h == remote.WscServerBatch && !strings.HasPrefix(w, "alone-broadcast"):
				continue
			}
			out = append(out, h)
		case !isAlone(w) && slices.Contains(hubs.Names, h):
			out = append(out, h)
		}
	}
	return out
}

// buildWscServer builds cmd/wsc-server of the repository above bench/ into dir.
func buildWscServer(dir string) (string, error) {
	bin := filepath.Join(dir, "wsc-server")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/wsc-server")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building cmd/wsc-server: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return bin, nil
}
