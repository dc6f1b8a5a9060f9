package protocol

// MessageType is a frame's "type". The first nine are go-wsc's message types;
// the rest are control frames (PROTOCOL.md, "Control frames").
type MessageType string

// go-wsc's nine message types.
const (
	TypeText   MessageType = "text"
	TypeImage  MessageType = "image"
	TypeFile   MessageType = "file"
	TypeAudio  MessageType = "audio"
	TypeVideo  MessageType = "video"
	TypeSystem MessageType = "system"
	TypeNotice MessageType = "notice"
	TypeEvent  MessageType = "event"
	TypeAck    MessageType = "ack"
)

// Control frame types.
const (
	TypePing    MessageType = "ping"
	TypePong    MessageType = "pong"
	TypeWelcome MessageType = "welcome"
	TypeError   MessageType = "error"
	TypeClose   MessageType = "close"
	// TypeSession is the first SSE event; its data carries the session id.
	TypeSession MessageType = "session"
	// TypeRefresh asks the client for a new token (server → client) and
	// carries it in content (client → server).
	TypeRefresh MessageType = "refresh"
)

// MessageTypes lists go-wsc's nine message types, in go-wsc's order.
var MessageTypes = []MessageType{TypeText, TypeImage, TypeFile, TypeAudio, TypeVideo, TypeSystem, TypeNotice, TypeEvent, TypeAck}

// IsContent reports whether t is one of the types that carry a user message
// (everything but ack and the control frames).
func (t MessageType) IsContent() bool {
	switch t {
	case TypeText, TypeImage, TypeFile, TypeAudio, TypeVideo, TypeSystem, TypeNotice, TypeEvent:
		return true
	}
	return false
}

// IsValid reports whether t is a message type or a control type of this protocol.
func (t MessageType) IsValid() bool {
	switch t {
	case TypeAck, TypePing, TypePong, TypeWelcome, TypeError, TypeClose, TypeSession, TypeRefresh:
		return true
	}
	return t.IsContent()
}

// UserType is go-wsc's user type (finer than the role).
type UserType string

// go-wsc's five user types.
const (
	UserTypeCustomer UserType = "customer"
	UserTypeAgent    UserType = "agent"
	UserTypeAdmin    UserType = "admin"
	UserTypeBot      UserType = "bot"
	UserTypeVIP      UserType = "vip"
)

// UserTypes lists the five user types.
var UserTypes = []UserType{UserTypeCustomer, UserTypeAgent, UserTypeAdmin, UserTypeBot, UserTypeVIP}

// IsValid reports whether t is one of the five user types.
func (t UserType) IsValid() bool { return inList(t, UserTypes) }

// UserRole is go-wsc's user role.
type UserRole string

// go-wsc's three roles.
const (
	RoleCustomer UserRole = "customer"
	RoleAgent    UserRole = "agent"
	RoleAdmin    UserRole = "admin"
)

// UserRoles lists the three roles.
var UserRoles = []UserRole{RoleCustomer, RoleAgent, RoleAdmin}

// IsValid reports whether r is one of the three roles.
func (r UserRole) IsValid() bool { return inList(r, UserRoles) }

// UserStatus is a user's presence status.
type UserStatus string

// go-wsc's five user statuses.
const (
	UserStatusOnline    UserStatus = "online"
	UserStatusOffline   UserStatus = "offline"
	UserStatusBusy      UserStatus = "busy"
	UserStatusAway      UserStatus = "away"
	UserStatusInvisible UserStatus = "invisible"
)

// UserStatuses lists the five user statuses.
var UserStatuses = []UserStatus{UserStatusOnline, UserStatusOffline, UserStatusBusy, UserStatusAway, UserStatusInvisible}

// IsValid reports whether s is one of the five user statuses.
func (s UserStatus) IsValid() bool { return inList(s, UserStatuses) }

// MessageStatus is a message frame's "status", set by the hub.
type MessageStatus string

// go-wsc's five message statuses.
const (
	StatusPending   MessageStatus = "pending"
	StatusSent      MessageStatus = "sent"
	StatusDelivered MessageStatus = "delivered"
	StatusRead      MessageStatus = "read"
	StatusFailed    MessageStatus = "failed"
)

// MessageStatuses lists the five message statuses.
var MessageStatuses = []MessageStatus{StatusPending, StatusSent, StatusDelivered, StatusRead, StatusFailed}

// IsValid reports whether s is one of the five message statuses.
func (s MessageStatus) IsValid() bool { return inList(s, MessageStatuses) }

// AckStatus is the "status" of an ack frame.
type AckStatus string

// The two ack statuses. An empty status in an ack frame means confirmed.
const (
	AckConfirmed AckStatus = "confirmed"
	AckFailed    AckStatus = "failed"
)

// Priority is a message's priority.
type Priority string

// go-wsc's five priorities.
const (
	PriorityLow      Priority = "low"
	PriorityNormal   Priority = "normal"
	PriorityHigh     Priority = "high"
	PriorityUrgent   Priority = "urgent"
	PriorityCritical Priority = "critical"
)

// Priorities lists the five priorities, lowest first.
var Priorities = []Priority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent, PriorityCritical}

// IsValid reports whether p is one of the five priorities.
func (p Priority) IsValid() bool { return inList(p, Priorities) }

func inList[T comparable](v T, list []T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
