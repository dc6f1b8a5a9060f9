// Command enginebench measures the two candidate engines of package store
// (go.etcd.io/bbolt and github.com/cockroachdb/pebble/v2) on go-wsc's two
// durable workloads, each behind one group-committing writer goroutine as in
// package store:
//
//   - ack: P producers each put a pending message (durable: they wait for
//     the commit), then delete it (the ack; written behind, in the next batch).
//   - offline: P producers put messages for U users (durable), then every
//     user's backlog is paged out oldest first, 100 at a time, and deleted.
//
// It is its own module so that the losing engine's dependencies stay out of
// go-wsc's go.mod. Run: cd store/enginebench && go run . -dir /var/tmp/eb
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// kv is what an engine must do for the workloads.
type kv interface {
	// apply writes a batch atomically; sync: durable on return.
	apply(puts map[string][]byte, dels []string, sync bool) error
	// scan calls fn for keys with prefix, ascending, up to n.
	scan(prefix []byte, n int, fn func(k, v []byte)) error
	close() error
}

type op struct {
	key  string
	val  []byte // nil: delete
	done chan struct{}
}

// committer is the store's writer goroutine: it takes every op queued since
// the last commit and commits them in one batch (group commit).
type committer struct {
	ops     chan op
	db      kv
	commits int
	wg      sync.WaitGroup
}

func newCommitter(db kv) *committer {
	c := &committer{ops: make(chan op, 4096), db: db}
	c.wg.Add(1)
	go c.run()
	return c
}

func (c *committer) run() {
	defer c.wg.Done()
	for first := range c.ops {
		batch := []op{first}
	drain:
		for {
			select {
			case o, ok := <-c.ops:
				if !ok {
					break drain
				}
				batch = append(batch, o)
			default:
				break drain
			}
		}
		puts := map[string][]byte{}
		var dels []string
		for _, o := range batch {
			if o.val == nil {
				delete(puts, o.key)
				dels = append(dels, o.key)
			} else {
				puts[o.key] = o.val
			}
		}
		if err := c.db.apply(puts, dels, true); err != nil {
			panic(err)
		}
		c.commits++
		for _, o := range batch {
			if o.done != nil {
				close(o.done)
			}
		}
	}
}

func (c *committer) stop() { close(c.ops); c.wg.Wait() }

func key(user int, seq uint64) string {
	b := fmt.Appendf(nil, "u%05d/", user)
	return string(binary.BigEndian.AppendUint64(b, seq))
}

type result struct {
	ops       int
	elapsed   time.Duration
	lat       []time.Duration
	commits   int
	drainRate float64
}

func pct(l []time.Duration, p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	slices.Sort(l)
	return l[int(float64(len(l)-1)*p)]
}

func ackWorkload(db kv, producers, n int, val []byte) result {
	c := newCommitter(db)
	lats := make([][]time.Duration, producers)
	start := time.Now()
	var wg sync.WaitGroup
	for p := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n / producers {
				k := key(p, uint64(i))
				t := time.Now()
				done := make(chan struct{})
				c.ops <- op{key: k, val: val, done: done}
				<-done
				lats[p] = append(lats[p], time.Since(t))
				c.ops <- op{key: k} // the ack: written behind
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	c.stop()
	var all []time.Duration
	for _, l := range lats {
		all = append(all, l...)
	}
	return result{ops: len(all), elapsed: el, lat: all, commits: c.commits}
}

func offlineWorkload(db kv, producers, n, users int, val []byte) result {
	c := newCommitter(db)
	lats := make([][]time.Duration, producers)
	start := time.Now()
	var wg sync.WaitGroup
	for p := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n / producers {
				u := (p*7 + i) % users
				t := time.Now()
				done := make(chan struct{})
				k := key(u, uint64(p)<<32|uint64(i))
				if *appendKeys {
					k = string(binary.BigEndian.AppendUint64(nil, gseq.Add(1))) + k // global order first, user in the value
				}
				c.ops <- op{key: k, val: val, done: done}
				<-done
				lats[p] = append(lats[p], time.Since(t))
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	if *appendKeys { // the store pages from its in-memory index: delete in per-user order
		dstart := time.Now()
		var keys []string
		_ = db.scan(nil, n, func(k, _ []byte) { keys = append(keys, string(k)) })
		slices.SortFunc(keys, func(a, b string) int { return strings.Compare(a[8:], b[8:]) })
		for i := 0; i < len(keys); i += 100 {
			done := make(chan struct{})
			page := keys[i:min(i+100, len(keys))]
			for j, k := range page {
				o := op{key: k}
				if j == len(page)-1 {
					o.done = done
				}
				c.ops <- o
			}
			<-done
		}
		del := time.Since(dstart)
		c.stop()
		var all []time.Duration
		for _, l := range lats {
			all = append(all, l...)
		}
		return result{ops: len(all), elapsed: el, lat: all, commits: c.commits, drainRate: float64(len(keys)) / del.Seconds()}
	}
	// Page every user's backlog out, 100 at a time, deleting each page
	// (written behind, as the hub would once the outbox took the page).
	dstart := time.Now()
	drained := 0
	for u := range users {
		prefix := fmt.Appendf(nil, "u%05d/", u)
		for {
			var page []string
			if err := db.scan(prefix, 100, func(k, _ []byte) { page = append(page, string(k)) }); err != nil {
				panic(err)
			}
			if len(page) == 0 {
				break
			}
			done := make(chan struct{})
			for i, k := range page {
				o := op{key: k}
				if i == len(page)-1 {
					o.done = done
				}
				c.ops <- o
			}
			<-done // the next page must not see this one
			drained += len(page)
		}
	}
	del := time.Since(dstart)
	c.stop()
	var all []time.Duration
	for _, l := range lats {
		all = append(all, l...)
	}
	return result{ops: len(all), elapsed: el, lat: all, commits: c.commits, drainRate: float64(drained) / del.Seconds()}
}

var (
	appendKeys = flag.Bool("append-keys", false, "offline keys in global arrival order (the user in the value), paged from an in-memory index")
	gseq       atomic.Uint64
)

func main() {
	dir := flag.String("dir", os.TempDir(), "parent of the data directories")
	producers := flag.Int("p", 64, "concurrent producers")
	n := flag.Int("n", 20000, "messages")
	users := flag.Int("users", 200, "users (offline workload)")
	size := flag.Int("size", 300, "message bytes")
	flag.Parse()
	val := make([]byte, *size)
	for i := range val {
		val[i] = byte('a' + i%26)
	}
	fmt.Printf("%-7s %-8s %3s %9s %9s %9s %9s %8s %10s %9s\n", "engine", "workload", "P", "ops/s", "p50", "p99", "ops/commit", "commits", "drain/s", "cpu/msg")
	for _, engine := range []string{"bbolt", "pebble"} {
		for _, w := range []string{"ack", "offline"} {
			d, err := os.MkdirTemp(*dir, engine+"-")
			if err != nil {
				panic(err)
			}
			var db kv
			if engine == "bbolt" {
				db, err = openBolt(filepath.Join(d, "db"))
			} else {
				db, err = openPebble(d)
			}
			if err != nil {
				panic(err)
			}
			var r result
			cpu0 := cpuTime()
			if w == "ack" {
				r = ackWorkload(db, *producers, *n, val)
			} else {
				r = offlineWorkload(db, *producers, *n, *users, val)
			}
			cpu := cpuTime() - cpu0
			if err := db.close(); err != nil {
				panic(err)
			}
			os.RemoveAll(d)
			perCommit := float64(r.ops) / float64(r.commits)
			if w == "ack" {
				perCommit = float64(2*r.ops) / float64(r.commits)
			}
			fmt.Printf("%-7s %-8s %3d %9.0f %9s %9s %9.1f %8d %10.0f %9s\n", engine, w, *producers,
				float64(r.ops)/r.elapsed.Seconds(), pct(r.lat, .5).Round(time.Microsecond),
				pct(r.lat, .99).Round(time.Microsecond), perCommit, r.commits, r.drainRate,
				(cpu / time.Duration(r.ops)).Round(100*time.Nanosecond))
		}
	}
}

// cpuTime is the process's user+system CPU so far: on a shared machine the
// CPU per message holds still where throughput does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
