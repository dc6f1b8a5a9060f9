package jetstream_test

import (
	"context"
	"testing"
	"time"

	"github.com/go-wsc/go-wsc/store"
	wscjs "github.com/go-wsc/go-wsc/store/jetstream"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOpenRefuses: bad options and a server without JetStream are clear
// errors at Open, never a panic or a hang.
func TestOpenRefuses(t *testing.T) {
	nc := connect(t, shared(t).ClientURL())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for name, o := range map[string]wscjs.Options{
		"prefix with a dot":          {Prefix: "a.b"},
		"prefix with a star":         {Prefix: "a*"},
		"negative replicas":          {Replicas: -1},
		"negative bound":             {Config: store.Config{OfflinePerUser: -1}},
		"more replicas than servers": {Prefix: prefix(), Replicas: 3},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := wscjs.Open(ctx, nc, o)
			require.Error(t, err)
			assert.Nil(t, s)
			assert.Contains(t, err.Error(), "wsc: ")
		})
	}
	_, err := wscjs.Open(ctx, nil, wscjs.Options{})
	require.Error(t, err)

	plain, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, NoLog: true, NoSigs: true})
	require.NoError(t, err)
	go plain.Start()
	require.True(t, plain.ReadyForConnections(10*time.Second))
	defer func() { plain.Shutdown(); plain.WaitForShutdown() }()
	short, cancel2 := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel2()
	_, err = wscjs.Open(short, connect(t, plain.ClientURL()), wscjs.Options{})
	require.Error(t, err, "no JetStream on the server")
	t.Log(err)
}
