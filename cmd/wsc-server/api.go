package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/actors/recorder"
)

// maxBody bounds API request bodies.
const maxBody = 1 << 20

// maxIDLen bounds user, ticket and record ids taken from a request: longer
// ones are client mistakes, answered 400 before reaching the hub.
const maxIDLen = 256

// Every answer of the API is JSON; an error is {"error": "wsc: …"}.

// decodeBody reads one JSON object, refusing unknown keys, trailing data and
// bodies over maxBody.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return fmt.Errorf("wsc: request body over %d bytes", maxBody)
		}
		return fmt.Errorf("wsc: bad request body: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("wsc: bad request body: trailing data")
	}
	return nil
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, err error) {
	writeJSON(w, code, map[string]string{"error": err.Error()})
}

// writeHubError answers err with the status errorStatus gives it.
func writeHubError(w http.ResponseWriter, err error) {
	writeError(w, errorStatus(err), err)
}

// errorStatus maps the hub's and the recorder's errors to HTTP statuses: a
// client's mistake is a 4xx, a server that is stopping or too slow a 503, and
// only what nobody expected is a 500.
func errorStatus(err error) int {
	switch {
	case errors.Is(err, hub.ErrUserOffline), errors.Is(err, hub.ErrTicketNotFound), errors.Is(err, recorder.ErrRecordNotFound):
		return http.StatusNotFound
	case errors.Is(err, hub.ErrInvalidMessage), errors.Is(err, hub.ErrMessageTooLarge):
		return http.StatusBadRequest
	case errors.Is(err, hub.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, hub.ErrAckDisabled), errors.Is(err, recorder.ErrRecordingDisabled),
		errors.Is(err, recorder.ErrAlreadySucceeded), errors.Is(err, recorder.ErrRecordExpired),
		errors.Is(err, recorder.ErrNoTarget), errors.Is(err, recorder.ErrNoAttemptsLeft), errors.Is(err, hub.ErrTooManyTickets):
		return http.StatusConflict // the request is fine; the state of the server refuses it
	case errors.Is(err, hub.ErrHubClosed), errors.Is(err, recorder.ErrRecorderStopped), errors.Is(err, hub.ErrQueueFull),
		errors.Is(err, hub.ErrStoreFailed), // the disk refused it (full, failing) or the writer is behind: nothing was accepted
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// pathID is the {id} of the route, refused when empty or too long.
func pathID(r *http.Request, what string) (string, error) {
	id := r.PathValue("id")
	if err := checkID(id, what); err != nil {
		return "", err
	}
	return id, nil
}

func checkID(id, what string) error {
	switch {
	case id == "":
		return fmt.Errorf("wsc: %s is required", what)
	case len(id) > maxIDLen:
		return fmt.Errorf("wsc: %s over %d bytes", what, maxIDLen)
	}
	return nil
}

// queryLimit reads ?limit=: def when absent, 400 when not a number in
// [1, maxLimit].
func queryLimit(r *http.Request, def, maxLimit int) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxLimit {
		return 0, fmt.Errorf("wsc: limit must be a number from 1 to %d, not %q", maxLimit, v)
	}
	return n, nil
}

func handleNoRoute(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, fmt.Errorf("wsc: no route %s %s", r.Method, r.URL.Path))
}
