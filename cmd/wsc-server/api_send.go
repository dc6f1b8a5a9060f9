package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
)

// Bounds on the tags of one message.
const (
	maxTags   = 16
	maxTagLen = 64
)

// sendRequest is the body of POST /api/send: exactly one of to, ticket_id,
// broadcast names the target.
type sendRequest struct {
	To         string         `json:"to"`
	TicketID   string         `json:"ticket_id"`
	Broadcast  bool           `json:"broadcast"`
	From       string         `json:"from"`
	Type       string         `json:"type"`
	Content    string         `json:"content"`
	Data       map[string]any `json:"data"`
	Priority   string         `json:"priority"`
	RequireAck bool           `json:"require_ack"`
	// Tags go on the message's record, for GET /api/records?tag=.
	Tags []string `json:"tags"`
	// Wait (implies require_ack) answers only when the ack outcome is known,
	// or after the server's -send-wait.
	Wait bool `json:"wait"`
}

func (req *sendRequest) check() error {
	targets := 0
	for _, set := range []bool{req.To != "", req.TicketID != "", req.Broadcast} {
		if set {
			targets++
		}
	}
	switch {
	case targets != 1:
		return errors.New("wsc: set exactly one of to, ticket_id, broadcast")
	case len(req.To) > maxIDLen || len(req.TicketID) > maxIDLen || len(req.From) > maxIDLen:
		return fmt.Errorf("wsc: to, ticket_id and from are limited to %d bytes", maxIDLen)
	case req.Broadcast && (req.RequireAck || req.Wait):
		// The hub tracks acks per user; a broadcast goes to the connections of
		// the moment and is never tracked.
		return errors.New("wsc: require_ack and wait are not supported for broadcast")
	case len(req.Tags) > maxTags:
		return fmt.Errorf("wsc: at most %d tags", maxTags)
	}
	for _, t := range req.Tags {
		if t == "" || len(t) > maxTagLen {
			return fmt.Errorf("wsc: a tag must have 1 to %d bytes", maxTagLen)
		}
	}
	return nil
}

func (s *server) handleSend(w http.ResponseWriter, r *http.Request) {
	var req sendRequest
	if err := decodeBody(w, r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if err := req.check(); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	m := &protocol.Message{ID: s.hub.NewID(), Type: protocol.MessageType(req.Type), From: req.From, Content: req.Content,
		Data: req.Data, Priority: protocol.Priority(req.Priority), RequireAck: req.RequireAck || req.Wait}
	if err := protocol.Validate(m); err != nil || !m.Type.IsContent() {
		if err == nil {
			err = fmt.Errorf("wsc: type %q cannot be sent", m.Type)
		}
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if req.Wait {
		s.sendAndWait(w, r, &req, m)
		return
	}
	var err error
	switch {
	case req.To != "":
		err = s.hub.SendToUser(r.Context(), req.To, m)
	case req.TicketID != "":
		err = s.hub.SendToTicket(r.Context(), req.TicketID, m)
	default:
		err = s.hub.Broadcast(r.Context(), m)
	}
	switch {
	case err == nil:
		s.tag(r.Context(), m.ID, req.Tags)
		writeJSON(w, http.StatusAccepted, map[string]any{"id": m.ID})
	case errors.Is(err, hub.ErrUserOffline):
		s.tag(r.Context(), m.ID, req.Tags)
		writeJSON(w, http.StatusNotFound, map[string]any{"id": m.ID, "error": err.Error(), "stored": true})
	default:
		writeHubError(w, err)
	}
}

// tag puts tags on the record of message id. The hub sent the record's
// creation to the recorder before it answered the send, so the recorder sees
// the record first. Without records there is nothing to tag.
func (s *server) tag(ctx context.Context, id string, tags []string) {
	if !s.hub.Records().Enabled() {
		return
	}
	for _, t := range tags {
		_, _ = s.hub.Records().AddTag(ctx, id, t) // best effort: the message is sent either way
	}
}

// sendAndWait sends m requiring an ack and answers with its outcome, or with
// 202 "pending" when -send-wait passes first (the message is still tracked
// to its end, and GET /api/records/{id} follows it).
func (s *server) sendAndWait(w http.ResponseWriter, r *http.Request, req *sendRequest, m *protocol.Message) {
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.SendWait)
	defer cancel()
	if req.TicketID != "" {
		outs, err := s.hub.SendToTicketWithAck(ctx, req.TicketID, m)
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			writeHubError(w, err)
			return
		}
		s.tag(r.Context(), m.ID, req.Tags)
		views := make([]outcomeView, len(outs))
		for i, o := range outs {
			views[i] = viewOutcome(o)
		}
		code, result := http.StatusOK, "done"
		if err != nil {
			code, result = http.StatusAccepted, "pending"
		}
		writeJSON(w, code, map[string]any{"id": m.ID, "result": result, "outcomes": views})
		return
	}
	o, err := s.hub.SendToUserWithAck(ctx, req.To, m)
	s.tag(r.Context(), m.ID, req.Tags)
	switch {
	case err == nil, errors.Is(err, hub.ErrAckRejected), errors.Is(err, hub.ErrMaxRetry):
		writeJSON(w, http.StatusOK, viewOutcome(o))
	case errors.Is(err, hub.ErrUserOffline):
		v := viewOutcome(o)
		v.Error, v.Stored = err.Error(), true
		writeJSON(w, http.StatusNotFound, v)
	case errors.Is(err, context.DeadlineExceeded) && r.Context().Err() == nil:
		writeJSON(w, http.StatusAccepted, outcomeView{ID: m.ID, UserID: req.To, Result: "pending"})
	default:
		writeHubError(w, err)
	}
}

// outcomeView is an ack outcome as the API writes it.
type outcomeView struct {
	ID      string  `json:"id"`
	UserID  string  `json:"user_id"`
	Result  string  `json:"result"` // acknowledged, rejected, offline, max_retry, pending
	Resends int     `json:"resends"`
	RTTMs   float64 `json:"rtt_ms,omitempty"`
	Error   string  `json:"error,omitempty"`
	Stored  bool    `json:"stored,omitempty"` // kept in the offline store
}

func viewOutcome(o hub.Outcome) outcomeView {
	v := outcomeView{ID: o.MessageID, UserID: o.UserID, Result: string(o.Result), Resends: o.Resends,
		RTTMs: float64(o.RTT.Microseconds()) / 1000, Error: o.Error}
	switch o.Result {
	case hub.MaxRetry:
		v.Stored = true
		if v.Error == "" {
			v.Error = hub.ErrMaxRetry.Error()
		}
	case hub.Offline:
		v.Stored = true
	case hub.Rejected:
		if v.Error == "" {
			v.Error = hub.ErrAckRejected.Error()
		}
	}
	return v
}
