package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/protocol"
)

// maxBody bounds API request bodies.
const maxBody = 1 << 20

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
}

func (s *server) handleSend(w http.ResponseWriter, r *http.Request) {
	var req sendRequest
	if err := decodeBody(w, r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	targets := 0
	for _, set := range []bool{req.To != "", req.TicketID != "", req.Broadcast} {
		if set {
			targets++
		}
	}
	if targets != 1 {
		writeError(w, http.StatusBadRequest, errors.New("wsc: set exactly one of to, ticket_id, broadcast"))
		return
	}
	m := &protocol.Message{ID: s.hub.NewID(), Type: protocol.MessageType(req.Type), From: req.From, Content: req.Content,
		Data: req.Data, Priority: protocol.Priority(req.Priority), RequireAck: req.RequireAck}
	if err := protocol.Validate(m); err != nil || !m.Type.IsContent() {
		if err == nil {
			err = fmt.Errorf("wsc: type %q cannot be sent", m.Type)
		}
		writeError(w, http.StatusBadRequest, err)
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
		writeJSON(w, http.StatusAccepted, map[string]any{"id": m.ID})
	case errors.Is(err, hub.ErrUserOffline):
		writeJSON(w, http.StatusNotFound, map[string]any{"id": m.ID, "error": err.Error(), "stored": true})
	case errors.Is(err, hub.ErrTicketNotFound):
		writeError(w, http.StatusNotFound, err)
	case errors.Is(err, hub.ErrInvalidMessage):
		writeError(w, http.StatusBadRequest, err)
	case errors.Is(err, hub.ErrHubClosed):
		writeError(w, http.StatusServiceUnavailable, err)
	default:
		writeError(w, http.StatusInternalServerError, err)
	}
}

func (s *server) handleStats(w http.ResponseWriter, r *http.Request) {
	st, err := s.hub.Stats(r.Context())
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

func (s *server) handleUsers(w http.ResponseWriter, r *http.Request) {
	users, err := s.hub.OnlineUsers(r.Context())
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": users, "count": len(users)})
}

// decodeBody reads one JSON object, refusing unknown keys, trailing data and
// bodies over maxBody.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("wsc: bad request body: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("wsc: bad request body: trailing data")
	}
	return nil
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, err error) {
	writeJSON(w, code, map[string]string{"error": err.Error()})
}
