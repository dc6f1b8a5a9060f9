// Package load drives the workloads against a hubs.Hub over real loopback
// WebSocket connections (127.0.0.1 only; slow clients dial from 127.0.0.2,
// still loopback, so the server can give them small socket buffers), plus the
// in-process routing workload over a hubs.Router.
//
// Every workload is bounded: connection set-up, traffic and draining each have
// a deadline, and a message that has not arrived by then counts as lost; no
// loop waits without one. A workload owns every goroutine and connection it
// starts and has closed them all (and the hub) when it returns.
package load
