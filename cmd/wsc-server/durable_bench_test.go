package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
)

// BenchmarkAckWorkload is the ack workload against wsc-server as a process
// of its own, in memory and on disk: 100 clients that ack every message, 64
// callers of POST /api/send with "wait": true (answered once the ack is
// back). It reports messages per second and the server's CPU per message
// (user + system, from /proc): durability's price on the path that must
// reach the disk (pending ack put, then removed); -norecords without the
// message records, which are written behind to the disk too.
//
//	go test -run '^$' -bench AckWorkload -benchtime 20000x ./cmd/wsc-server
func BenchmarkAckWorkload(b *testing.B) {
	for _, mode := range []string{"memory", "disk", "memory-norecords", "disk-norecords"} {
		b.Run(mode, func(b *testing.B) {
			args := []string{"-enable-ack", "-rate-limit", "0", "-max-conns-per-user", "0"}
			if strings.HasPrefix(mode, "memory") {
				args = append(args, "-memory")
			} else {
				args = append(args, "-data-dir", b.TempDir())
			}
			if strings.HasSuffix(mode, "-norecords") {
				args = append(args, "-disable-records")
			}
			p := startProc(b, args...)
			const users, callers = 100, 64
			for i := range users {
				ackAll(b, p, "u"+strconv.Itoa(i))
			}
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: callers}}
			b.Cleanup(client.CloseIdleConnections)
			var next, failed atomic.Int64
			cpu0 := procCPU(b, p.cmd.Process.Pid)
			b.ResetTimer()
			var wg sync.WaitGroup
			for range callers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for n := next.Add(1); n <= int64(b.N); n = next.Add(1) {
						body := fmt.Sprintf(`{"to":"u%d","content":"a message of the ack workload","wait":true}`, n%users)
						resp, err := client.Post(p.base+"/api/send", "application/json", strings.NewReader(body))
						if err != nil || resp.StatusCode != http.StatusOK {
							failed.Add(1)
						}
						if err == nil {
							resp.Body.Close()
						}
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			require.Zero(b, failed.Load(), "every send acknowledged")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
			b.ReportMetric(float64((procCPU(b, p.cmd.Process.Pid)-cpu0).Microseconds())/float64(b.N), "server-µs/msg")
		})
	}
}

// ackAll connects user and acks every message that asks for it, until the
// connection ends.
func ackAll(b *testing.B, p *proc, user string) {
	c := p.dialWS(user)
	go func() {
		for {
			_, data, err := c.ReadMessage()
			if err != nil {
				return
			}
			m, err := protocol.Decode(data)
			if err != nil || !m.RequireAck {
				continue
			}
			ack, _ := protocol.Encode(protocol.NewAck(m.ID, protocol.AckConfirmed, ""))
			if c.WriteMessage(websocket.TextMessage, ack) != nil {
				return
			}
		}
	}()
}

// procCPU is the user + system time of process pid (/proc/<pid>/stat,
// clock ticks of 10 ms).
func procCPU(b *testing.B, pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	require.NoError(b, err)
	f := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+2:]))
	utime, _ := strconv.Atoi(f[11])
	stime, _ := strconv.Atoi(f[12])
	return time.Duration(utime+stime) * 10 * time.Millisecond
}
