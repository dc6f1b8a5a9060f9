package session

import (
	"time"

	"github.com/go-wsc/go-wsc/protocol"
)

// received parses one inbound frame and routes it. Bad frames get an error frame
// (4000) and the connection stays open; only the rate limit closes it.
func (s *sessionActor) received(data []byte) {
	if !s.handle(data) {
		s.t.Consumed() // done with the frame here, no answer carries it: the reader may read another
	}
}

// handle parses one inbound frame and routes it; true when it went on to the
// hub (which gives the frame's credit back once it has routed it).
func (s *sessionActor) handle(data []byte) bool {
	if s.gone || s.closing {
		return false
	}
	now := time.Now()
	s.lastSeen = now
	s.cfg.Counters.Received.Add(1)
	if !allow(&s.tokens, &s.lastToken, s.cfg, now) {
		s.rateLimited()
		return false
	}
	m, err := protocol.Decode(data)
	return s.dispatch(m, err, now)
}

// fromIngress handles a frame its Ingress counted, let through the rate
// limit and decoded; true when it went on to the hub.
func (s *sessionActor) fromIngress(d *decoded) bool {
	if s.gone || s.closing {
		return false
	}
	s.lastSeen, s.slack = d.at, aliveEvery(s.cfg)
	return s.dispatch(d.msg, d.err, d.at)
}

// rateLimited closes a connection that broke the rate limit (3003).
func (s *sessionActor) rateLimited() {
	if s.gone || s.closing {
		return
	}
	s.cfg.Counters.RateLimited.Add(1)
	s.close(protocol.CloseRateLimited, protocol.CloseText(protocol.CloseRateLimited))
}

// dispatch handles one decoded inbound frame; true when its credit went on
// with it: to the hub, or to an answer (a pong, an error) that the transport
// gives it back with once written.
func (s *sessionActor) dispatch(m *protocol.Message, err error, now time.Time) bool {
	if err != nil {
		return s.refuseFrame(protocol.CodeInvalidFrame, err.Error(), "")
	}
	switch {
	case m.Type == protocol.TypePing:
		return s.answer(&protocol.Message{Type: protocol.TypePong, CreateAt: now})
	case m.Type == protocol.TypeRefresh:
		s.renew(m, now)
	case m.Type == protocol.TypeAck:
		s.root.Send(s.cfg.Hub, &AckIn{PID: s.self, UserID: s.id.UserID, Ack: m, Transport: s.t})
		return true
	case !m.Type.IsContent():
		return s.refuseFrame(protocol.CodeInvalidFrame, "wsc: a client may not send "+string(m.Type)+" frames", m.MsgID)
	case m.To == "" && m.TicketID == "":
		return s.refuseFrame(protocol.CodeInvalidFrame, "wsc: no route: set to or ticket_id", m.MsgID)
	default:
		clientStamp(m)
		m.From = s.id.UserID // never what the client wrote
		if s.cfg.Authorize != nil {
			if err := s.cfg.Authorize(&s.id, m); err != nil {
				return s.refuseFrame(protocol.CodeForbidden, err.Error(), m.MsgID)
			}
			m.From = s.id.UserID // the hook may rewrite the message, not its sender
		}
		s.root.Send(s.cfg.hubFor(m), &Inbound{PID: s.self, Identity: &s.id, Msg: m, Transport: s.t})
		return true
	}
	return false
}

// refuse answers an inbound frame with an error whose credit its caller gives back.
func (s *sessionActor) refuse(code int, text, ref string) {
	s.cfg.Counters.Invalid.Add(1)
	s.sendControl(protocol.NewError(code, text, ref))
}

// refuseFrame answers an inbound frame with an error that carries the frame's
// credit; true when it was queued (see dispatch).
func (s *sessionActor) refuseFrame(code int, text, ref string) bool {
	s.cfg.Counters.Invalid.Add(1)
	return s.answer(protocol.NewError(code, text, ref))
}

// allow is a token bucket: RateLimit frames per second, bursts of RateBurst.
// Its state belongs to whoever reads the connection's frames: the session, or
// its Ingress.
func allow(tokens *float64, last *time.Time, cfg Config, now time.Time) bool {
	if cfg.RateLimit <= 0 {
		return true
	}
	burst := float64(max(cfg.RateBurst, 1))
	*tokens = min(burst, *tokens+now.Sub(*last).Seconds()*cfg.RateLimit)
	*last = now
	if *tokens < 1 {
		return false
	}
	*tokens--
	return true
}

// clientStamp clears what only the hub may set on a client's message. A proposed
// id is kept as the client's own msg_id when it has none.
func clientStamp(m *protocol.Message) {
	if m.MsgID == "" {
		m.MsgID = m.ID
	}
	m.ID, m.SeqNo, m.Status, m.RequireAck = "", 0, "", false
	m.CreateAt = time.Time{}
	m.MessageID, m.Code, m.Error = "", 0, ""
}
