package client

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
)

// HubClient is a Wsc that speaks go-wsc's hub protocol (PROTOCOL.md): text
// frames are decoded into *protocol.Message and handed to a handler per
// message type; require_ack messages are acknowledged after the handler
// returns (or by Ack/Nack when auto-ack is off); a redelivered id reaches
// the handlers once. Every Wsc method and callback works as well;
// OnTextMessageReceived still sees each raw frame first.
type HubClient struct {
	*Wsc
	autoAck bool

	mu       sync.Mutex // guards the fields below
	handlers map[protocol.MessageType]func(*protocol.Message)
	fallback func(*protocol.Message)
	onError  func(error)
	seen     *recentIDs
}

// NewHubClient returns a hub-protocol client for url (the hub's WebSocket
// endpoint, with user_id etc. in the query string in development mode, or
// credentials in WithHeader). Options as for New, plus WithAutoAck and
// WithDedupSize.
func NewHubClient(url string, opts ...Option) *HubClient {
	o := buildOptions(opts)
	h := &HubClient{
		autoAck:  o.autoAck,
		handlers: make(map[protocol.MessageType]func(*protocol.Message)),
		seen:     newRecentIDs(o.dedupSize),
	}
	h.Wsc = newWsc(url, o)
	h.Wsc.hub = h
	return h
}

// OnMessage sets the handler of one message type (text, notice, pong,
// welcome, …); nil removes it. Handlers run on the reader goroutine, one
// message at a time, in arrival order.
func (h *HubClient) OnMessage(t protocol.MessageType, f func(m *protocol.Message)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if f == nil {
		delete(h.handlers, t)
		return
	}
	h.handlers[t] = f
}

// OnAnyMessage sets the handler of every type that has no OnMessage handler.
func (h *HubClient) OnAnyMessage(f func(m *protocol.Message)) {
	h.mu.Lock()
	h.fallback = f
	h.mu.Unlock()
}

// OnError sets the handler of errors about frames: a *ServerError for each
// error frame from the hub, a *protocol.DecodeError (errors.Is
// protocol.ErrInvalidFrame) for a frame that does not decode, and the error
// of an automatic ack that could not be queued (the hub will redeliver, and
// the redelivery is acked).
func (h *HubClient) OnError(f func(err error)) {
	h.mu.Lock()
	h.onError = f
	h.mu.Unlock()
}

// SendToUser sends a text message to every connection of user to.
func (h *HubClient) SendToUser(to, content string) error {
	return h.SendMessage(&protocol.Message{Type: protocol.TypeText, To: to, Content: content})
}

// SendToTicket sends a text message to the members of a ticket group.
func (h *HubClient) SendToTicket(ticket, content string) error {
	return h.SendMessage(&protocol.Message{Type: protocol.TypeText, TicketID: ticket, Content: content})
}

// SendMessage validates, encodes and queues m as a text frame (m itself is
// not changed). A content message without MsgID gets a random one, so the
// hub can drop the copy if the client has to write it again after a lost
// connection. Errors as for SendTextMessage, or the protocol's validation
// error.
func (h *HubClient) SendMessage(m *protocol.Message) error {
	if m == nil {
		return ErrNilMessage
	}
	out := m.Clone()
	if err := protocol.Validate(out); err != nil {
		return err
	}
	if out.Type.IsContent() && out.MsgID == "" {
		out.MsgID = rand.Text()
	}
	data, err := protocol.Encode(out)
	if err != nil {
		return err
	}
	return h.enqueue(frame{kind: websocket.TextMessage, data: data})
}

// Ping sends an application-level ping; the hub answers with a pong frame
// (see OnMessage(protocol.TypePong, …)). For transports or proxies where
// WebSocket pings do not get through.
func (h *HubClient) Ping() error {
	return h.SendMessage(&protocol.Message{Type: protocol.TypePing})
}

// Ack confirms message id. With auto-ack on it is only needed to confirm
// before the handler returns. The answer is remembered: a redelivery of id
// is answered the same way without reaching the handlers.
func (h *HubClient) Ack(id string) error {
	return h.answer(id, protocol.AckConfirmed, "", false)
}

// Nack rejects message id with a reason (an ack frame with status failed).
func (h *HubClient) Nack(id, reason string) error {
	return h.answer(id, protocol.AckFailed, reason, false)
}

// answer records the decision for id and sends it. With ifPending (auto-ack)
// it does nothing when the handler already called Ack or Nack.
func (h *HubClient) answer(id string, status protocol.AckStatus, reason string, ifPending bool) error {
	h.mu.Lock()
	if e, ok := h.seen.lookup(id); ok {
		if ifPending && e.ack.decided {
			h.mu.Unlock()
			return nil
		}
		e.ack = ackDecision{decided: true, status: status, reason: reason}
	}
	h.mu.Unlock()
	return h.SendMessage(protocol.NewAck(id, status, reason))
}

// dispatch handles one text frame, a message or (WithBatch) an array of
// them, in order; it runs on the reader goroutine.
func (h *HubClient) dispatch(data []byte) {
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		var frames []json.RawMessage
		if err := json.Unmarshal(t, &frames); err != nil {
			h.fireError(fmt.Errorf("%w: a batch that is no JSON array of frames: %v", protocol.ErrInvalidFrame, err))
			return
		}
		for _, f := range frames {
			h.dispatchOne(f)
		}
		return
	}
	h.dispatchOne(data)
}

// dispatchOne handles one message frame.
func (h *HubClient) dispatchOne(data []byte) {
	m, err := protocol.Decode(data)
	if err != nil {
		h.fireError(err)
		return
	}
	if m.Type == protocol.TypeError {
		h.fireError(&ServerError{Code: m.Code, Text: m.Content, MessageID: m.MessageID})
		return
	}
	if m.ID != "" && h.redelivered(m) {
		return
	}

	h.mu.Lock()
	f, ok := h.handlers[m.Type]
	if !ok {
		f = h.fallback
	}
	h.mu.Unlock()
	call1(h.Wsc, f, m)

	// After the handler: an ack means "processed", not "received".
	if m.RequireAck && m.ID != "" && h.autoAck {
		h.reportAckError(h.answer(m.ID, protocol.AckConfirmed, "", true))
	}
}

// redelivered reports whether m's id was seen before, remembering it if
// not. A redelivery means the hub did not get our answer, so the answer is
// sent again (if one was given yet).
func (h *HubClient) redelivered(m *protocol.Message) bool {
	h.mu.Lock()
	e, dup := h.seen.lookup(m.ID)
	if !dup {
		h.seen.add(m.ID)
	}
	var ack ackDecision
	if dup {
		ack = e.ack
	}
	h.mu.Unlock()
	if dup && m.RequireAck && ack.decided {
		h.reportAckError(h.SendMessage(protocol.NewAck(m.ID, ack.status, ack.reason)))
	}
	return dup
}

// reportAckError passes a failed automatic ack to OnError, except after
// Close: frames still arriving during the close handshake cannot be acked,
// and that is expected.
func (h *HubClient) reportAckError(err error) {
	if err != nil && !errors.Is(err, ErrClose) {
		h.fireError(err)
	}
}

func (h *HubClient) fireError(err error) {
	h.mu.Lock()
	f := h.onError
	h.mu.Unlock()
	call1(h.Wsc, f, err)
}
