package main

import (
	"context"
	"errors"
	"net/http"

	"github.com/go-wsc/go-wsc/actors/hub"
)

// memberRequest is the body of POST /api/tickets/{id}/join and /leave.
type memberRequest struct {
	UserID string `json:"user_id"`
}

func (s *server) handleTicket(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "ticket id")
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	members, err := s.hub.TicketMembers(r.Context(), id)
	if err != nil {
		writeHubError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, ticketView(id, members))
}

func (s *server) handleJoin(w http.ResponseWriter, r *http.Request) {
	s.changeMembership(w, r, s.hub.JoinTicket)
}

// handleLeave answers the members left; a ticket goes with its last member,
// so leaving it may answer an empty list.
func (s *server) handleLeave(w http.ResponseWriter, r *http.Request) {
	s.changeMembership(w, r, s.hub.LeaveTicket)
}

func (s *server) changeMembership(w http.ResponseWriter, r *http.Request, change func(ctx context.Context, ticketID, userID string) error) {
	id, err := pathID(r, "ticket id")
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	var req memberRequest
	if err := decodeBody(w, r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if err := checkID(req.UserID, "user_id"); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if err := change(r.Context(), id, req.UserID); err != nil {
		writeHubError(w, err)
		return
	}
	members, err := s.hub.TicketMembers(r.Context(), id)
	if errors.Is(err, hub.ErrTicketNotFound) {
		members, err = []string{}, nil
	}
	if err != nil {
		writeHubError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, ticketView(id, members))
}

func ticketView(id string, members []string) map[string]any {
	return map[string]any{"ticket_id": id, "members": members, "count": len(members)}
}
