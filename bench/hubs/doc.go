// Package hubs holds the hubs the benchmark compares, behind one small
// interface: go-wsc's actor hub (through its public API only) and three
// baselines written the way such hubs usually are.
//
//   - "actor": go-wsc, hub.New + ws.Handler, default Config.
//   - "lock": the original go-wsc design: sync.RWMutex-guarded maps, one Run
//     loop for register/unregister/broadcast, a per-client send channel, and
//     JSON encoding per recipient (encoding/json).
//   - "channel": the gorilla/websocket chat example's design: one goroutine
//     owns the maps; everything else talks to it over channels; a client whose
//     send channel is full is dropped.
//   - "melody": github.com/olahol/melody with a user index (RWMutex map)
//     kept in its connect/disconnect handlers.
//
// Every hub speaks the same wire protocol: clients connect with ?user_id=,
// send {"to":"<user>","content":"..."} frames, and receive JSON frames
// (protocol.Message) whose "from" is set by the hub. Baselines encode with
// encoding/json; go-wsc uses its own encoder. Every hub bounds each
// connection's outbound queue at 256 frames and writes with a 10 s deadline.
//
// Concurrency: every Hub and Router method is safe for concurrent use. Close
// ends every goroutine the hub started, including those of open connections.
package hubs
