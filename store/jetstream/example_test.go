package jetstream_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/store"
	wscjs "github.com/go-wsc/go-wsc/store/jetstream"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// A message kept for an offline user: durable once its Done hears nil (the
// PubAck), and found again by a store opened later (another node, or this
// one after a restart).
func Example() {
	dir, _ := os.MkdirTemp("", "wsc-example-")
	defer os.RemoveAll(dir)
	ns, _ := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true, StoreDir: dir, NoLog: true, NoSigs: true})
	go ns.Start()
	ns.ReadyForConnections(10 * time.Second)
	defer func() { ns.Shutdown(); ns.WaitForShutdown() }()
	nc, _ := nats.Connect(ns.ClientURL())
	defer nc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	s, err := wscjs.Open(ctx, nc, wscjs.Options{Prefix: "example"}) // Replicas: 3 in a cluster
	if err != nil {
		fmt.Println(err)
		return
	}
	durable := make(chan error, 1)
	m := &protocol.Message{ID: "m1", Type: protocol.TypeText, From: "system", Content: "hello"}
	if _, err := s.PutOffline("alice", store.Entry{Msg: m}, func(err error) { durable <- err }); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("durable:", <-durable)
	_ = s.Close()

	again, err := wscjs.Open(ctx, nc, wscjs.Options{Prefix: "example"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer again.Close()
	for _, e := range again.PeekOffline("alice", "", 10) {
		fmt.Println(e.Msg.ID, e.Msg.Content)
	}
	// Output:
	// durable: <nil>
	// m1 hello
}
