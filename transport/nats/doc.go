// Package nats is the cross-node bus of go-wsc: it implements hub.Bus over NATS
// (github.com/nats-io/nats.go), so that hubs on several nodes share users,
// tickets, broadcast, presence and acks. It can also run a NATS server in
// process (RunEmbedded) for tests and one-binary deployments.
//
// Subjects (Prefix "wsc" by default): <p>.u.<user>, <p>.t.<ticket>, <p>.all
// (broadcast), <p>.presence, <p>.members, <p>.sync, <p>.node.<node> (acks and
// sync answers). User, ticket and node names that are not plain NATS tokens
// are base64url-encoded behind a "_".
//
// Goroutines: the hub calls Watch, Unwatch and Publish from its mailbox; they
// only buffer in the NATS client. Every subscription feeds one channel, read by
// one goroutine of the Bus that decodes each message and hands it to the hub,
// so messages keep the order in which this node received them. Close stops that
// goroutine and the connection.
package nats
