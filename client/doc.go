// Package client is go-wsc's Go WebSocket client: go-wsc's client API (New,
// the On… callbacks, Connect, SendTextMessage, Close, the Config builder),
// kept so that existing code compiles after changing the import, with
// reconnection that holds up, and a hub-protocol mode (HubClient).
//
// # Life cycle
//
// New returns an idle client; frames sent now wait in the send buffer.
// Connect (or ConnectContext) starts the connection loop and returns once the
// first connection is up. From then on the client redials by itself after a
// lost connection, waiting between dials a delay drawn uniformly from
// [MinRecTime, min(MaxRecTime, MinRecTime·RecFactor^n)] for the n-th failed
// dial in a row (full jitter with a floor: clients dropped together do not
// come back together). Frames sent while disconnected — up to
// MessageBufferSize, then ErrBufferFull — go out first, in order, on the next
// connection; a frame whose write failed is put back at the head.
//
// The client is closed for good, and sends return ErrClose, after Close or
// CloseWithMsg; after a close frame whose code says not to reconnect
// (1000 normal, 1008 policy violation, 3000 replaced: protocol.ShouldReconnect);
// and after a lost connection when AutoReconnect is off. Close stops a dial or
// a backoff wait at once, flushes the buffer and does the close handshake
// within one second even if the server has stopped reading, and returns when
// every goroutine of the client has ended. Cancelling ConnectContext's context
// before the first connection stops the loop at once too, but leaves the
// client idle: it may be connected again.
//
// # Goroutines and callbacks
//
// A connected client runs three goroutines: the connection loop (one per
// Connect, alive until the client is closed), and per connection a reader and
// a writer. The writer alone writes data frames, so concurrent sends can never
// interleave on the wire; the reader answers pings and close frames with
// gorilla's WriteControl, which gorilla allows beside the writer. Each
// callback is called from one of them:
//
//	OnConnected, OnConnectError, OnDisconnected   connection loop (OnConnectError for a
//	                                               bad URL: the goroutine calling Connect)
//	OnTextMessageReceived, OnBinaryMessageReceived,
//	OnPingReceived, OnPongReceived                 reader
//	OnClose for a close frame from the server      reader
//	OnClose(1000, msg) after Close                 connection loop, or the goroutine
//	                                               calling Close when no loop runs
//	OnTextMessageSent, OnBinaryMessageSent,
//	OnSentError                                    writer
//	HubClient: OnMessage, OnAnyMessage, OnError    reader
//
// So callbacks of one group never overlap and run in event order, but the
// groups run concurrently with each other: state shared between, say, a
// received and a sent callback needs its own synchronisation. For each
// connection, OnConnected comes before any other callback of that connection
// and OnDisconnected after all of them. A callback blocks its goroutine: a
// slow OnTextMessageReceived slows reading, not sending. Callbacks may call
// any method of the client, including Close (which then does not wait for the
// goroutines to end, since one of them is the caller).
//
// All methods are safe for concurrent use. Sends never block: they queue.
// Callbacks and SetConfig may be changed at any time; a new Config applies to
// the next connection (its buffer bound and AutoReconnect at once).
//
// # Hub mode
//
// NewHubClient returns a HubClient: text frames are decoded into
// *protocol.Message and passed to the handler for their type (OnMessage) or
// to OnAnyMessage; error frames go to OnError as *ServerError. A message with
// require_ack is acknowledged after its handler returns — an ack means
// "processed" — or, with WithAutoAck(false), when the application calls Ack
// or Nack. The last 1024 ids (WithDedupSize) are remembered, so a message the
// hub redelivers because an ack got lost reaches the handlers once, while the
// redelivery is answered again. SendToUser, SendToTicket, SendMessage and
// Ping queue protocol frames like any other send. WithBatch asks the server
// to pack queued messages into JSON arrays (fewer frames on a busy
// connection); each message of an array is dispatched in order as if it had
// come alone.
package client
