package remote

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/bench/load"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startServed runs hub name in a child (this test binary with -serve).
func startServed(t *testing.T, name string) *Server {
	t.Helper()
	s, err := Start(name, Options{Self: os.Args[0]})
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

// wscBin is cmd/wsc-server, built by the first test that needs it (a link
// takes 5 s of CPU, 20 s on a loaded machine); TestMain removes its dir.
var wscBin struct {
	once      sync.Once
	dir, path string
	err       error
	output    string
}

// buildWscServer builds cmd/wsc-server once per test run.
func buildWscServer(t *testing.T) string {
	t.Helper()
	wscBin.once.Do(func() {
		if wscBin.dir, wscBin.err = os.MkdirTemp("", "wsc-remote-test-"); wscBin.err != nil {
			return
		}
		wscBin.path = filepath.Join(wscBin.dir, "wsc-server")
		cmd := exec.Command("go", "build", "-o", wscBin.path, "./cmd/wsc-server")
		cmd.Dir = "../.."
		out, err := cmd.CombinedOutput()
		wscBin.err, wscBin.output = err, string(out)
	})
	require.NoError(t, wscBin.err, wscBin.output)
	return wscBin.path
}

func dial(t *testing.T, s *Server, user string) *websocket.Conn {
	t.Helper()
	sep := "?"
	if strings.Contains(s.URL(), "?") {
		sep = "&"
	}
	c, resp, err := websocket.DefaultDialer.Dial(s.URL()+sep+"user_id="+user, nil)
	require.NoError(t, err)
	resp.Body.Close()
	t.Cleanup(func() { c.Close() })
	return c
}

// waitFor polls cond until it holds or 10 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	require.Eventually(t, cond, 10*time.Second, 10*time.Millisecond, what)
}

func read(t *testing.T, c *websocket.Conn) string {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(10*time.Second)))
	_, b, err := c.ReadMessage()
	require.NoError(t, err)
	return string(b)
}

// The chat hub and the ceiling, each in a process of its own: they count
// connections, route p2p, and (chat) broadcast through the API; the child's
// CPU and memory are read from /proc.
func TestServedHubsRouteAndAreMeasured(t *testing.T) {
	for _, name := range []string{"chat", "ceiling"} {
		t.Run(name, func(t *testing.T) {
			s := startServed(t, name)
			a, b := dial(t, s, "a"), dial(t, s, "b")
			waitFor(t, "two connections", func() bool { return s.Connections() == 2 })
			require.NoError(t, a.WriteMessage(websocket.TextMessage, []byte(`{"to":"b","content":"hi"}`)))
			assert.Contains(t, read(t, b), `"content":"hi"`)
			if name == "chat" {
				require.NoError(t, s.Broadcast([]byte("all")))
				assert.Contains(t, read(t, a), `"content":"all"`)
				assert.Contains(t, read(t, b), `"content":"all"`)
			} else {
				require.Error(t, s.Broadcast([]byte("all")), "the ceiling has no broadcast")
			}
			// an execution trace of the child, as wsc-server's -pprof gives one
			resp, err := http.Get(s.PprofURL() + "/debug/pprof/trace?seconds=1")
			require.NoError(t, err)
			trace, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, resp.StatusCode, string(trace))
			assert.True(t, strings.HasPrefix(string(trace), "go 1."), "a Go execution trace")
			_, err = s.CPU() // in 10 ms ticks: a short test may not reach one
			require.NoError(t, err)
			rss, err := s.SettledRSSKB()
			require.NoError(t, err)
			assert.Positive(t, rss)
			s.Close()
			assert.NoError(t, s.Err(), "a clean stop on SIGTERM")
		})
	}
}

// go-wsc as deployed: cmd/wsc-server with the bench's flags. A client's data
// crosses the hub untouched, an integer above 2^53 included (issue 14's
// decoder), and a broadcast through the API reaches everyone.
func TestWscServerPassesDataThroughExactly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmd/wsc-server")
	}
	s, err := Start(WscServer, Options{WscServer: buildWscServer(t)})
	require.NoError(t, err)
	t.Cleanup(s.Close)
	a, b := dial(t, s, "a"), dial(t, s, "b")
	waitFor(t, "two connections", func() bool { return s.Connections() == 2 })

	require.NoError(t, a.WriteMessage(websocket.TextMessage,
		[]byte(`{"to":"b","content":"she said \"hi\"\n","data":{"price":12.50, "order":9007199254740993,"tags":["x"]}}`)))
	got := read(t, b)
	// as sent: the key order, 12.50 and the big integer (white space aside)
	assert.Contains(t, got, `"data":{"price":12.50,"order":9007199254740993,"tags":["x"]}`, got)
	assert.Contains(t, got, `"content":"she said \"hi\"\n"`, got)
	assert.Contains(t, got, `"from":"a"`)

	require.NoError(t, s.Broadcast([]byte("all")))
	for _, c := range []*websocket.Conn{a, b} {
		for {
			if m := read(t, c); strings.Contains(m, `"content":"all"`) {
				break
			}
		}
	}
	_, err = s.CPU()
	require.NoError(t, err)
	s.Close()
	assert.NoError(t, s.Err(), fmt.Sprintf("wsc-server stops cleanly on SIGTERM: %s", s.log))
}

// wsc-server-batch's clients ask for batches: broadcasts sent faster than
// the client reads reach it packed, several in one frame (a JSON array), and
// the load still counts every message once.
func TestWscServerBatchClientsGetArrays(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmd/wsc-server")
	}
	s, err := Start(WscServerBatch, Options{WscServer: buildWscServer(t)})
	require.NoError(t, err)
	t.Cleanup(s.Close)
	assert.Contains(t, s.URL(), "batch=1")
	a := dial(t, s, "a")
	waitFor(t, "a connection", func() bool { return s.Connections() == 1 })
	// bursts of concurrent broadcasts until one frame carries several: the
	// writer packs what is queued when it runs, so a burst soon leaves more
	// than one message waiting (bounded: 200 bursts)
	deadline := time.Now().Add(20 * time.Second)
	sent, packed := 0, false
	for burst := 0; burst < 200 && !packed; burst++ {
		var wg sync.WaitGroup
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				assert.NoError(t, s.Broadcast([]byte("all")))
			}()
		}
		wg.Wait()
		sent += 16
		for got := 0; got < 16; {
			require.NoError(t, a.SetReadDeadline(deadline))
			_, b, err := a.ReadMessage()
			require.NoError(t, err)
			n := strings.Count(string(b), `"content":"all"`)
			if n > 1 {
				packed = true
				assert.Equal(t, byte('['), b[0], string(b))
			}
			got += n
		}
	}
	assert.True(t, packed, "no frame of %d broadcasts held more than one", sent)
	s.Close()
	assert.NoError(t, s.Err())
}

// The load measures a served hub's CPU per message.
func TestLoadMeasuresTheServerAlone(t *testing.T) {
	s := startServed(t, "chat")
	// enough messages for several 10 ms ticks of CPU time
	res, err := load.P2P(s, load.Traffic{Clients: 20, Msgs: 500, Timeout: 20 * time.Second})
	require.NoError(t, err)
	assert.EqualValues(t, 20*500, res.Received)
	assert.Zero(t, res.Lost)
	assert.Positive(t, res.ServerCPUus)
	assert.Positive(t, res.ServerCores)
}

// Both variants of go-wsc's server, from one build: wsc-server keeps its
// state in a data directory of its own, wsc-server-memory in memory; with
// -enable-ack each answers an API send with "wait": true once the
// receiver's ack is back, and the load measures the server's CPU per
// acknowledged message (alone-ack).
func TestWscServerVariantsAck(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmd/wsc-server")
	}
	bin := buildWscServer(t)
	for name, state := range map[string]string{WscServer: "state in " + os.TempDir(), WscServerMemory: "state in memory (-memory)"} {
		t.Run(name, func(t *testing.T) {
			s, err := Start(name, Options{WscServer: bin, Args: []string{"-enable-ack"}})
			require.NoError(t, err)
			t.Cleanup(s.Close)
			waitFor(t, "the state line", func() bool { return strings.Contains(s.log.String(), "state in ") })
			assert.Contains(t, s.log.String(), state)
			// enough acks for several 10 ms ticks of the server's CPU time
			res, err := load.AckRoundTrip(s, load.Ack{Clients: 10, Msgs: 1000, Senders: 8, Timeout: 30 * time.Second})
			require.NoError(t, err)
			assert.EqualValues(t, 1000, res.Received)
			assert.Zero(t, res.Lost)
			assert.Positive(t, res.P99ms)
			assert.Positive(t, res.ServerCPUus)
			assert.Positive(t, res.ServerCores)
			s.Close()
			assert.NoError(t, s.Err(), fmt.Sprintf("%s stops cleanly on SIGTERM: %s", name, s.log))
		})
	}
}

// The hubs this binary serves take none of cmd/wsc-server's flags: Options.Args
// go to wsc-server only (-serve would refuse them and the child not start).
func TestServerArgsAreWscServers(t *testing.T) {
	s, err := Start("chat", Options{Self: os.Args[0], Args: []string{"-enable-ack"}})
	require.NoError(t, err)
	t.Cleanup(s.Close)
	a := dial(t, s, "a")
	waitFor(t, "a connection", func() bool { return s.Connections() == 1 })
	require.NoError(t, s.Broadcast([]byte("all")))
	assert.Contains(t, read(t, a), `"content":"all"`)
	require.Error(t, s.SendWithAck("a", []byte("x")), "the chat hub has no acks")
}
