package protocol

import "time"

// Message is one frame of the protocol: a message, or a control frame when Type
// is one of the control types. Field names and JSON keys are those of go-wsc's
// HubMessage, so clients written for go-wsc keep working; MessageID, Code and
// Error are the keys of the ack, error and close control frames.
type Message struct {
	ID       string      `json:"id"`
	Type     MessageType `json:"type"`
	From     string      `json:"from"`
	To       string      `json:"to"`
	TicketID string      `json:"ticket_id,omitempty"`
	Content  string      `json:"content"`
	// Data is the extension data. Decode gives every number in it as a
	// json.Number (its exact text) and keeps the object's bytes (RawData),
	// which Encode writes back while Data is unchanged.
	Data         map[string]any `json:"data,omitempty"`
	CreateAt     time.Time      `json:"create_at"`
	MsgID        string         `json:"msg_id"`
	SeqNo        int64          `json:"seq_no"`
	Priority     Priority       `json:"priority"`
	ReplyToMsgID string         `json:"reply_to_msg_id,omitempty"`
	// Status is a MessageStatus on message frames and an AckStatus on ack frames.
	Status     MessageStatus `json:"status"`
	RequireAck bool          `json:"require_ack,omitempty"`

	// MessageID is the id an ack or error frame refers to.
	MessageID string `json:"message_id,omitempty"`
	// Code is the code of an error or close frame.
	Code int `json:"code,omitempty"`
	// Error is the reason given by a failed ack.
	Error string `json:"error,omitempty"`

	// raw is the data object as decoded, written back by Encode (see RawData).
	raw rawData
}

// Clone returns a copy of m that can be stamped without touching m. Data is
// copied one level deep: the hub never changes nested values. The copy keeps
// m's raw data (RawData) while m's is current.
func (m *Message) Clone() *Message {
	c := *m
	current := m.rawCurrent()
	c.raw = rawData{}
	if m.Data != nil {
		c.Data = make(map[string]any, len(m.Data))
		for k, v := range m.Data {
			c.Data[k] = v
		}
	}
	if current {
		c.raw = rawData{bytes: m.raw.bytes, of: c.Data, keys: len(c.Data)}
	}
	return &c
}

// AckStatus is the status of an ack frame; empty means confirmed.
func (m *Message) AckStatus() AckStatus {
	if m.Status == "" {
		return AckConfirmed
	}
	return AckStatus(m.Status)
}

// NewAck builds the ack frame a receiver sends for message id.
func NewAck(id string, status AckStatus, reason string) *Message {
	return &Message{Type: TypeAck, MessageID: id, Status: MessageStatus(status), Error: reason}
}

// NewError builds an error frame; ref is the id of the frame it refers to, if any.
func NewError(code int, text, ref string) *Message {
	return &Message{Type: TypeError, Code: code, Content: text, MessageID: ref}
}

// NewClose builds the SSE close event's frame.
func NewClose(code int, text string) *Message {
	return &Message{Type: TypeClose, Code: code, Content: text}
}
