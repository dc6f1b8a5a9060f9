// Package sse is the Server-Sent Events transport: an http.Handler whose GET
// opens an event stream served by a session actor (the same one WebSocket
// connections use, so routing, tickets, broadcast, acks and stats treat both
// alike), and whose POST carries the client's frames to that session.
//
// # Wire format
//
// The first event of a stream is "event: session" with data
// {"session":"<id>"}: an unguessable token naming the stream for the inbound
// path. Every frame is then one event: "id: <message id>" (user and ticket
// messages only, see below), "event: <type>", "data: <frame JSON>", a blank
// line. A ": ping" comment is written every hub.Config.SSEHeartbeat. When the
// server ends a stream it writes "event: close" with data {"code":…,"content":…}
// (PROTOCOL.md close codes) and ends the response; a client that sees a code
// for which protocol.ShouldReconnect is false should close its EventSource.
//
// The id line is what a browser sends back as Last-Event-ID when it
// reconnects, so only frames the hub can resume from carry one: user and
// ticket messages. Welcome, pong, error and broadcast frames have their id in
// the data only, and leave the client's last event id where it was.
//
// The client sends frames by POSTing one JSON frame, or a JSON array of
// frames, to the stream's URL with ?session=<id>. Each frame reaches the
// session as session.Received, exactly like a WebSocket text frame: pings are
// answered by a pong event on the stream, acks confirm, refusals (no route,
// forbidden, unknown ack) come back as error events on the stream. The POST
// answer is 202; 400 with an error frame body when the body is not a frame or
// an array of frames (nothing of it is forwarded then); 404 for an unknown or
// ended session; 413 for a body over hub.Config.MaxMessageSize; 401 when the
// caller (the same Authenticate hook, or the dev-mode query) is not the
// session's user; 403 for a refused origin; 503 once the hub shuts down.
//
// # Liveness
//
// A stream is closed with 3001 after hub.Config.SSETimeout without client
// activity: a POST that reaches the session (a {"type":"ping"} frame is the
// cheapest) counts, and so does reconnecting, which makes a new session. An
// EventSource that only listens therefore reconnects every SSETimeout, and
// resumes with Last-Event-ID without losing messages. A client that goes away
// is noticed through the request's context.
//
// # Goroutines
//
// There is one goroutine per stream, and it is the one net/http runs
// ServeHTTP on: it spawns the session actor, writes every event (frames from
// the session's Outbox, heartbeat comments, the close event), and when the
// stream ends (Close asked by the session, the client gone, a write failing
// after Options.WriteWait) it removes the session from the handler's registry
// and sends session.TransportDone with the frames it never wrote. So no
// goroutine outlives the stream.
//
// The session actor calls the Transport methods (Send, Heartbeat, Close) from
// its mailbox; they never block. POST requests run on their own net/http
// goroutines and only send session.Received to the session's PID.
package sse
