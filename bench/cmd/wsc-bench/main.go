// Command wsc-bench runs every workload of bench/ for every hub, N times, and
// prints one table of medians with min–max; it writes RESULTS.md, an SVG
// chart and the raw results as JSON.
//
//	cd bench && go run ./cmd/wsc-bench                 # issue sizes, 3 runs
//	cd bench && go run ./cmd/wsc-bench -runs 1 -clients 200 -idle 2000 -big-clients 2000
//
// Each workload on each hub runs in a child process of its own (this binary
// with -job), so that no hub inherits another's heap, goroutines or file
// descriptors; the idle workload's clients run in a grandchild (-idle-client)
// so that the server's RSS holds no client. All traffic stays on loopback.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/go-wsc/go-wsc/bench/load"
	"github.com/go-wsc/go-wsc/bench/remote"
	"github.com/go-wsc/go-wsc/bench/report"
)

func main() { os.Exit(realMain()) }

func realMain() int {
	fs := flag.NewFlagSet("wsc-bench", flag.ExitOnError)
	var sizes Sizes
	sizes.flags(fs)
	runs := fs.Int("runs", 3, "runs of every workload on every hub")
	hubList := fs.String("hubs", "all", "hubs, comma-separated: "+strings.Join(allHubs, ", "))
	wlList := fs.String("workloads", "all", "workloads, comma-separated: "+strings.Join(allWorkloads, ", "))
	out := fs.String("out", "RESULTS.md", "markdown report ('' for none)")
	svg := fs.String("svg", "results.svg", "SVG chart, beside the report ('' for none)")
	raw := fs.String("json", "results.json", "raw results of every run ('' for none)")
	notes := fs.String("notes", "NOTES.md", "hand-written analysis appended to the report, if the file exists")
	from := fs.String("from", "", "rewrite the report, chart and text table from this raw results file instead of running")
	jobSpec := fs.String("job", "", "internal: run one job (JSON) and print its result")
	idleURL := fs.String("idle-client", "", "internal: be the idle workload's client process for this URL")
	idleN := fs.Int("idle-n", 0, "internal: idle connections to open")
	idleDial := fs.Int("idle-dial", 64, "internal: idle connections dialled at a time")
	serveHub := fs.String("serve", "", "internal: serve this hub (chat, ceiling, …) until SIGTERM, for the server-alone workloads")
	serveAddr := fs.String("serve-addr", "127.0.0.1:0", "internal: the address -serve listens on")
	serverArgs := fs.String("server-args", "", "extra flags for cmd/wsc-server in the alone-* workloads, space-separated")
	serverBin := fs.String("wsc-server-bin", "", "a built cmd/wsc-server to measure instead of building this repository's (an A/B of two commits)")
	_ = fs.Parse(os.Args[1:])
	sizes.ServerArgs = strings.Fields(*serverArgs)
	if sizes.ProfileDir != "" {
		// made here, once: every server-alone run writes its profile into it
		if err := os.MkdirAll(sizes.ProfileDir, 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "wsc-bench: -profile-dir:", err)
			return 2
		}
	}

	switch {
	case *serveHub != "":
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
		defer stop()
		if err := remote.Serve(ctx, *serveHub, *serveAddr, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "wsc-bench:", err)
			return 1
		}
		return 0
	case *jobSpec != "":
		return childMain(*jobSpec)
	case *idleURL != "":
		if load.RunIdleClients(*idleURL, *idleN, *idleDial, os.Stdin, os.Stdout) != nil {
			return 1
		}
		return 0
	case *from != "":
		return rewrite(*from, *out, *svg, *notes)
	}
	hs, err := parseList(*hubList, allHubs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wsc-bench: -hubs:", err)
		return 2
	}
	ws, err := parseList(*wlList, allWorkloads)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wsc-bench: -workloads:", err)
		return 2
	}

	wscServer := *serverBin
	if wscServer == "" && slices.ContainsFunc(ws, isAlone) && slices.ContainsFunc(hs, remote.IsWscServer) {
		dir, err := os.MkdirTemp("", "wsc-bench-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "wsc-bench:", err)
			return 1
		}
		defer os.RemoveAll(dir)
		if wscServer, err = buildWscServer(dir); err != nil {
			fmt.Fprintln(os.Stderr, "wsc-bench:", err)
			return 1
		}
	}

	measured := commit() // now: the code the children run is what HEAD and the work tree hold at the start
	results := report.NewResults(hs, ws)
	var all []load.Result
	start := time.Now()
	for run := 1; run <= *runs; run++ {
		for _, w := range ws {
			for _, h := range hubsFor(w, hs) {
				t0 := time.Now()
				res, err := runChild(job{Hub: h, Workload: w, Sizes: sizes, WscServer: wscServer, Run: run})
				results.Add(w, h, res, err)
				status := "ok"
				if err != nil {
					status = "error: " + err.Error()
				} else {
					all = append(all, res)
				}
				fmt.Fprintf(os.Stderr, "run %d/%d %-16s %-8s %6.1fs %s\n", run, *runs, w, h, time.Since(t0).Seconds(), status)
			}
		}
	}
	fmt.Fprintf(os.Stderr, "done in %v\n\n", time.Since(start).Round(time.Second))
	if err := results.WriteText(os.Stdout); err != nil {
		return 1
	}
	desc, cpu := machine()
	hdr := report.Header{
		Date: time.Now().UTC().Format("2006-01-02 15:04 UTC"), Machine: desc, CPU: cpu, Go: runtime.Version(),
		Command: "cd bench && go run ./cmd/wsc-bench " + strings.Join(os.Args[1:], " "),
		Runs:    *runs, Sizes: sizes.describe(ws), Commit: measured,
	}
	return writeFiles(results, rawFile{Header: hdr, Hubs: hs, Workloads: ws, Results: all}, *out, *svg, *raw, *notes)
}

// rawFile is the -json output, enough to rewrite the report with -from.
type rawFile struct {
	Header    report.Header `json:"header"`
	Hubs      []string      `json:"hubs"`
	Workloads []string      `json:"workloads"`
	Results   []load.Result `json:"results"`
}

// rewrite rebuilds the outputs from a raw results file.
func rewrite(from, out, svg, notes string) int {
	b, err := os.ReadFile(from)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wsc-bench:", err)
		return 1
	}
	var raw rawFile
	if err := json.Unmarshal(b, &raw); err != nil {
		fmt.Fprintln(os.Stderr, "wsc-bench:", from, err)
		return 1
	}
	results := report.NewResults(raw.Hubs, raw.Workloads)
	for _, r := range raw.Results {
		results.Add(r.Workload, r.Hub, r, nil)
	}
	if err := results.WriteText(os.Stdout); err != nil {
		return 1
	}
	return writeFiles(results, raw, out, svg, "", notes)
}

// runChild runs j in a child process and decodes its result.
func runChild(j job) (load.Result, error) {
	spec, _ := json.Marshal(j)
	exe, err := os.Executable()
	if err != nil {
		return load.Result{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), j.Sizes.ChildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "-job", string(spec))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return load.Result{}, fmt.Errorf("killed after %v", j.Sizes.ChildTimeout)
		}
		return load.Result{}, fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	var res load.Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		return res, fmt.Errorf("bad result %q: %w", stdout.String(), err)
	}
	return res, nil
}

func writeFiles(results *report.Results, rf rawFile, out, svg, raw, notes string) int {
	hdr := rf.Header
	hdr.Chart = svg
	if rel, err := filepath.Rel(filepath.Dir(out), svg); err == nil && svg != "" {
		hdr.Chart = rel
	}
	if b, err := os.ReadFile(notes); err == nil && notes != "" {
		hdr.Notes = string(b)
	}
	write := func(name string, f func(*bytes.Buffer) error) bool {
		if name == "" {
			return true
		}
		var b bytes.Buffer
		if err := f(&b); err != nil {
			fmt.Fprintln(os.Stderr, "wsc-bench:", name, err)
			return false
		}
		if err := os.WriteFile(name, b.Bytes(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "wsc-bench:", err)
			return false
		}
		fmt.Fprintln(os.Stderr, "wrote", name)
		return true
	}
	// the raw results first: whatever fails later, -from can redo the rest
	ok := write(raw, func(b *bytes.Buffer) error {
		e := json.NewEncoder(b)
		e.SetIndent("", " ")
		return e.Encode(rf)
	})
	ok = write(out, func(b *bytes.Buffer) error { return results.WriteMarkdown(b, hdr) }) && ok
	ok = write(svg, func(b *bytes.Buffer) error {
		return results.WriteSVG(b, fmt.Sprintf("go-wsc bench, %s, %d runs (median, min–max)", hdr.Date, hdr.Runs))
	}) && ok
	if !ok {
		return 1
	}
	return 0
}
