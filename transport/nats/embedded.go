package nats

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// RunEmbedded starts a NATS server in this process, listening on listen
// (host:port; port 0 or -1 picks a free one), and waits until it accepts
// clients. Stop it with Shutdown then WaitForShutdown.
func RunEmbedded(listen string) (*server.Server, error) {
	return runEmbedded(listen, "")
}

// RunEmbeddedJetStream is RunEmbedded with JetStream on, its files under
// storeDir: a one-binary node whose offline store and pending acks live in
// JetStream (store/jetstream).
func RunEmbeddedJetStream(listen, storeDir string) (*server.Server, error) {
	return runEmbedded(listen, storeDir)
}

// runEmbedded starts the server; a storeDir turns JetStream on there.
func runEmbedded(listen, storeDir string) (*server.Server, error) {
	host, portText, err := net.SplitHostPort(listen)
	if err != nil {
		return nil, fmt.Errorf("wsc: nats listen address %q: %w", listen, err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		return nil, fmt.Errorf("wsc: nats listen port %q: %w", portText, err)
	}
	if port == 0 {
		port = server.RANDOM_PORT
	}
	ns, err := server.NewServer(&server.Options{Host: host, Port: port, NoLog: true, NoSigs: true,
		JetStream: storeDir != "", StoreDir: storeDir})
	if err != nil {
		return nil, err
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		return nil, errors.New("wsc: embedded nats server did not start")
	}
	return ns, nil
}
