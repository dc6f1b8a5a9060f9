package bolt_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/store"
	"github.com/go-wsc/go-wsc/store/bolt"
	"github.com/go-wsc/go-wsc/store/storetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The crash test: a child process (this test binary, re-executed with
// crashEnv set) writes offline messages, pending acks and sequence numbers
// with group commit, and prints a line for each write the store reported
// durable; now and then a history read (which commits the history and
// records queued before it) reports those written behind as durable too.
// The parent SIGKILLs it mid-stream, reopens the directory and checks that
// every write reported durable is there.

const crashEnv = "WSC_STORE_CRASH_DIR"

const crashUsers = 5

// crashChild runs the child's side when crashEnv is set and exits.
func crashChild() bool {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		return false
	}
	db, err := bolt.OpenStore(dir, store.Config{OfflinePerUser: 1 << 20, OfflineTotal: 1 << 20, OfflineTotalBytes: 1 << 30,
		OfflinePerUserBytes: 1 << 30, SeqBlock: 16, HistoryPerUser: 1 << 20}, nil)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	loaded := make(chan error, 1)
	db.LoadSeq("u", func(_ store.SeqState, err error) { loaded <- err })
	if err := <-loaded; err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	// done runs on the writer goroutine: one unbuffered write per line, so
	// the parent has read every line the child wrote before it died.
	report := func(line string) store.Done {
		return func(err error) {
			if err == nil {
				os.Stdout.WriteString(line + "\n")
			}
		}
	}
	for i := 0; ; i++ {
		seq, err := db.NextSeq("u")
		if err != nil { // a reservation on its way: try the next round
			time.Sleep(100 * time.Microsecond)
			continue
		}
		id := fmt.Sprint("m", i)
		user := fmt.Sprint("u", i%crashUsers)
		m := storetest.Msg(id, "crash")
		m.SeqNo = seq
		// written behind (lazy): durable with the next due commit, or with a
		// read of the history, which takes every queued write along
		db.AppendHistory(user, store.Entry{Msg: m})
		db.PutRecord(id, func() ([]byte, error) { return []byte(`{"id":"` + id + `"}`), nil })
		if i%100 == 99 {
			line := fmt.Sprintf("lazy - m%d 0", i)
			db.ReadHistory("u0", "", 1, func(_ []store.Entry, _ bool, err error) { report(line)(err) })
		}
		if i%3 == 0 {
			err = db.PutPending(store.PendingAck{User: user, Entry: store.Entry{Msg: m}}, report(fmt.Sprintf("pending %s %s %d", user, id, seq)))
		} else {
			_, err = db.PutOffline(user, store.Entry{Msg: m}, report(fmt.Sprintf("offline %s %s %d", user, id, seq)))
		}
		if err != nil { // ErrBusy: the writer is behind
			time.Sleep(100 * time.Microsecond)
		}
	}
}

func TestCrash(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() }) // a failed check must not leave the child writing

	type write struct {
		kind, user string
		seq        int64
	}
	reported := map[string]write{}
	var maxSeq int64
	lazyUpTo := -1 // the history and records of m0…m<lazyUpTo> were reported durable
	sc := bufio.NewScanner(out)
	killed := false
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		require.Len(t, f, 4, "child said: %s", sc.Text())
		seq, err := strconv.ParseInt(f[3], 10, 64)
		require.NoError(t, err)
		if f[0] == "lazy" {
			n, _ := strconv.Atoi(f[2][1:])
			lazyUpTo = max(lazyUpTo, n)
			continue
		}
		reported[f[2]] = write{f[0], f[1], seq}
		maxSeq = max(maxSeq, seq)
		if len(reported) == 2000 && !killed { // mid-stream: writes are queued and in flight
			require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
			killed = true
		}
	}
	require.True(t, killed, "the child stopped by itself after %d writes", len(reported))
	require.Error(t, cmd.Wait())
	t.Logf("%d writes reported durable before SIGKILL (last seq %d)", len(reported), maxSeq)

	db, err := bolt.OpenStore(dir, store.Config{OfflinePerUser: 1 << 20, OfflineTotal: 1 << 20}, nil)
	require.NoError(t, err)
	defer db.Close()
	have := map[string]bool{}
	for u := range crashUsers {
		for _, e := range db.PeekOffline(fmt.Sprint("u", u), "", 1<<20) {
			have["offline "+e.Msg.ID] = true
		}
	}
	require.NoError(t, db.LoadPending(func(p store.PendingAck) bool { have["pending "+p.Msg.ID] = true; return true }))
	missing := 0
	for id, w := range reported {
		if !have[w.kind+" "+id] {
			missing++
		}
	}
	assert.Zero(t, missing, "writes reported durable, then lost")

	// The history and the records reported durable (by a read) are there:
	// of the messages up to lazyUpTo reported durable, each user's last is
	// in its history, and every one has its record.
	require.Positive(t, lazyUpTo, "no history read reported")
	t.Logf("history and records reported durable up to m%d", lazyUpTo)
	last, upTo := map[string]int{}, map[string]bool{}
	for id, w := range reported {
		if n, _ := strconv.Atoi(id[1:]); n <= lazyUpTo {
			last[w.user] = max(last[w.user], n)
			upTo[id] = true
		}
	}
	for user, n := range last {
		hist := make(chan []store.Entry, 1)
		db.ReadHistory(user, "", 1000, func(es []store.Entry, _ bool, err error) { assert.NoError(t, err); hist <- es })
		found := false
		for _, e := range <-hist {
			found = found || e.Msg.ID == fmt.Sprint("m", n)
		}
		assert.True(t, found, "history of %s lacks m%d", user, n)
	}
	recs := map[string]bool{}
	require.NoError(t, db.LoadRecords(func(id string, _ []byte) bool { recs[id] = true; return true }))
	for id := range upTo {
		if !recs[id] {
			missing++
		}
	}
	assert.Zero(t, missing, "records reported durable, then lost")

	loaded := make(chan store.SeqState, 1)
	db.LoadSeq("u", func(s store.SeqState, err error) { assert.NoError(t, err); loaded <- s })
	s := <-loaded
	assert.GreaterOrEqual(t, s.Last, maxSeq, "a sequence never goes backwards across a crash")
	assert.False(t, s.Exact, "after a crash the store says numbers may have been skipped")
	n, err := db.NextSeq("u")
	require.NoError(t, err)
	assert.Greater(t, n, maxSeq)
}
