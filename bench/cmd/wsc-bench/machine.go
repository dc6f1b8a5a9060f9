package main

import (
	"bufio"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
)

// machine describes where the benchmark ran.
func machine() (desc, cpu string) {
	nproc := strings.TrimSpace(run("nproc"))
	if nproc == "" {
		nproc = "?"
	}
	mem := ""
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		if sc.Scan() {
			mem = strings.Join(strings.Fields(sc.Text())[1:], " ")
		}
		f.Close()
	}
	cpu = "unknown"
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
		f.Close()
	}
	desc = runtime.GOOS + "/" + runtime.GOARCH + ", nproc " + nproc + ", GOMAXPROCS " + strconv.Itoa(runtime.GOMAXPROCS(0)) +
		", MemTotal " + mem + ", open files limit " + strings.TrimSpace(run("sh", "-c", "ulimit -n")) +
		"; shared machine, clients and server on the same cores"
	return desc, cpu
}

func run(name string, args ...string) string {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		return ""
	}
	return string(out)
}

// commit names the main module's commit, "+ local changes" when the work tree differs.
func commit() string {
	c := strings.TrimSpace(run("git", "-C", "..", "rev-parse", "--short", "HEAD"))
	if c == "" {
		return "unknown"
	}
	if strings.TrimSpace(run("git", "-C", "..", "status", "--porcelain", "--untracked-files=no", "--", ".")) != "" {
		c += " + local changes"
	}
	return c
}
