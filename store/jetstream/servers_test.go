package jetstream_test

import (
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"
)

// One JetStream server shared by the single-server tests (each test uses
// its own Prefix), started on first use and stopped by TestMain.
var (
	sharedOnce sync.Once
	sharedSrv  *server.Server
	sharedDir  string
	sharedErr  error
	prefixes   atomic.Int64
)

func shared(t testing.TB) *server.Server {
	t.Helper()
	sharedOnce.Do(func() {
		sharedDir, sharedErr = os.MkdirTemp("", "wsc-js-")
		if sharedErr == nil {
			sharedSrv, sharedErr = runServer(&server.Options{ServerName: "solo", StoreDir: sharedDir})
		}
	})
	require.NoError(t, sharedErr)
	return sharedSrv
}

func stopShared() {
	if sharedSrv != nil {
		sharedSrv.Shutdown()
		sharedSrv.WaitForShutdown()
	}
	if sharedDir != "" {
		_ = os.RemoveAll(sharedDir)
	}
}

// prefix is a fresh store name on the shared server.
func prefix() string { return fmt.Sprint("t", prefixes.Add(1)) }

// runServer starts a JetStream server on 127.0.0.1 with o's cluster and store settings.
func runServer(o *server.Options) (*server.Server, error) {
	o.Host, o.Port, o.JetStream, o.NoLog, o.NoSigs = "127.0.0.1", server.RANDOM_PORT, true, true, true
	o.JetStreamMaxMemory, o.JetStreamMaxStore = 64<<20, 1<<30
	s, err := server.NewServer(o)
	if err != nil {
		return nil, err
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		s.Shutdown()
		return nil, fmt.Errorf("nats server %s did not start", o.ServerName)
	}
	return s, nil
}

// freePorts finds n free ports on 127.0.0.1 for the cluster routes (they
// must be known before the servers start, to name each other).
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	ports := make([]int, n)
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		ports[i] = l.Addr().(*net.TCPAddr).Port
		require.NoError(t, l.Close())
	}
	return ports
}

// cluster is three JetStream servers routed to each other on 127.0.0.1.
type cluster struct {
	srv  []*server.Server
	stop []func()
}

func startCluster(t testing.TB, n int) *cluster {
	t.Helper()
	ports := freePorts(t, n)
	var routes []string
	for _, p := range ports {
		routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", p))
	}
	c := &cluster{}
	for i := range n {
		s, err := runServer(&server.Options{ServerName: fmt.Sprint("s", i), StoreDir: t.TempDir(),
			Cluster: server.ClusterOpts{Name: "wsc", Host: "127.0.0.1", Port: ports[i]},
			Routes:  server.RoutesFromStr(strings.Join(routes, ","))})
		require.NoError(t, err)
		var once sync.Once
		c.srv = append(c.srv, s)
		c.stop = append(c.stop, func() { once.Do(func() { s.Shutdown(); s.WaitForShutdown() }) })
	}
	t.Cleanup(func() {
		for _, stop := range c.stop {
			stop()
		}
	})
	// JetStream is ready once a meta leader is elected and every server knows it
	require.Eventually(t, func() bool {
		for _, s := range c.srv {
			if !s.JetStreamIsClustered() || s.JetStreamIsCurrent() == false {
				return false
			}
		}
		for _, s := range c.srv {
			if s.JetStreamIsLeader() {
				return true
			}
		}
		return false
	}, 20*time.Second, 20*time.Millisecond, "no JetStream meta leader")
	return c
}

// connect opens a client connection to url; the test closes it at its end.
func connect(t testing.TB, urls ...string) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(strings.Join(urls, ","), nats.MaxReconnects(-1), nats.ReconnectWait(20*time.Millisecond))
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	return nc
}
