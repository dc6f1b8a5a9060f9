package hubs

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/go-wsc/go-wsc/protocol"
	"github.com/gorilla/websocket"
)

// What the baselines share: the wire format and the socket settings.

// WriteWait bounds every baseline write, as go-wsc's default does.
const WriteWait = 10 * time.Second

// maxMessageSize is the largest inbound frame (go-wsc's default).
const maxMessageSize = 64 << 10

var errNoRoute = errors.New("bench: frame without \"to\"")

var msgSeq atomic.Uint64

// decodeInbound parses a client frame the way the baselines do: encoding/json
// into go-wsc's message type.
func decodeInbound(data []byte) (*protocol.Message, error) {
	var m protocol.Message
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	if m.To == "" {
		return nil, errNoRoute
	}
	return &m, nil
}

// stamp sets what a hub owns on a message: id, sender, time, status.
func stamp(m *protocol.Message, from string) {
	m.ID = "b-" + strconv.FormatUint(msgSeq.Add(1), 36)
	m.From = from
	m.CreateAt = time.Now()
	m.Status = protocol.StatusSent
	if m.Type == "" {
		m.Type = protocol.TypeText
	}
	if m.Priority == "" {
		m.Priority = protocol.PriorityNormal
	}
}

// serverMessage is a message the application sends.
func serverMessage(to string, payload []byte) *protocol.Message {
	m := &protocol.Message{To: to, Content: string(payload)}
	stamp(m, "system")
	return m
}

// encode is the baselines' JSON encoding (go-wsc's original used encoding/json).
func encode(m *protocol.Message) []byte {
	data, _ := json.Marshal(m) // a Message without Data cannot fail
	return data
}

// newUpgrader is the baselines' upgrader: gorilla's default 1 KiB buffers,
// any origin (the clients send none).
func newUpgrader() websocket.Upgrader {
	return websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 1024,
		CheckOrigin: func(*http.Request) bool { return true }}
}

func userOf(r *http.Request) string { return r.URL.Query().Get("user_id") }
