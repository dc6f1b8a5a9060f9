package sse

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/go-wsc/go-wsc/actors/session"
	"github.com/go-wsc/go-wsc/protocol"
	"github.com/go-wsc/go-wsc/transport/auth"
)

// serveInbound takes the frames a client POSTs for its stream and hands each to
// the session as session.Received, as the WebSocket reader does.
func (s *Server) serveInbound(w http.ResponseWriter, r *http.Request) {
	id, ok := auth.Admit(w, r, s.hub.Closed(), s.opts.Authenticate, func(r *http.Request) bool { return s.allowOrigin(w, r) })
	if !ok {
		return
	}
	sid := r.URL.Query().Get("session")
	if sid == "" {
		refuse(w, ErrNoSession.Error())
		return
	}
	pid, secret, ok := s.findSession(sid)
	if !ok {
		http.Error(w, ErrUnknownSession.Error(), http.StatusNotFound)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.hub.Config().MaxMessageSize))
	if err != nil {
		if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
			http.Error(w, fmt.Sprintf("wsc: body over %d bytes", tooBig.Limit), http.StatusRequestEntityTooLarge)
			return
		}
		refuse(w, "wsc: reading the body: "+err.Error())
		return
	}
	frames, err := splitFrames(body)
	if err != nil {
		refuse(w, err.Error())
		return
	}
	switch err := s.post(r.Context(), pid, &session.Post{Secret: secret, UserID: id.UserID, Frames: frames}); {
	case err == nil:
		w.WriteHeader(http.StatusAccepted)
	case errors.Is(err, ErrWrongUser):
		http.Error(w, err.Error(), http.StatusUnauthorized)
	case errors.Is(err, ErrUnknownSession):
		http.Error(w, err.Error(), http.StatusNotFound)
	default:
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
	}
}

// splitFrames checks that body is one frame or a non-empty JSON array of
// frames, each a JSON object that decodes, and returns the frames. All or
// nothing: a body with one bad frame is refused whole.
func splitFrames(body []byte) ([][]byte, error) {
	data := bytes.TrimSpace(body)
	if len(data) == 0 || data[0] != '[' {
		if err := checkFrame(data); err != nil {
			return nil, err
		}
		return [][]byte{data}, nil
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, fmt.Errorf("%w: %v", protocol.ErrMalformedJSON, err)
	}
	if len(raws) == 0 {
		return nil, fmt.Errorf("%w: an empty array", protocol.ErrEmptyFrame)
	}
	frames := make([][]byte, len(raws))
	for i, raw := range raws {
		if err := checkFrame(raw); err != nil {
			return nil, fmt.Errorf("%w (frame %d)", err, i)
		}
		frames[i] = raw
	}
	return frames, nil
}

// checkFrame refuses what the session would answer with a 4000 error frame
// for being no frame at all: anything but a JSON object that decodes.
func checkFrame(data []byte) error {
	if len(data) > 0 && data[0] != '{' {
		return fmt.Errorf("%w: a frame is a JSON object", protocol.ErrMalformedJSON)
	}
	_, err := protocol.Decode(data)
	return err
}

// refuse answers 400 with an error frame (4000) as the body.
func refuse(w http.ResponseWriter, text string) {
	body, err := protocol.Encode(protocol.NewError(protocol.CodeInvalidFrame, text, ""))
	if err != nil {
		http.Error(w, text, http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = w.Write(body)
}
