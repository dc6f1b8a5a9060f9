package client

import (
	"context"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

// go-wsc's client API as SPEC.md ("Client") lists it, plus what this client
// adds, checked at compile time: a changed signature breaks this build
// instead of a user's.
var (
	_ func(string, ...Option) *Wsc = New
	_ func() *Config               = NewDefaultConfig
	_ interface {
		SetConfig(config *Config)
		OnConnected(f func())
		OnConnectError(f func(err error))
		OnDisconnected(f func(err error))
		OnClose(f func(code int, text string))
		OnTextMessageSent(f func(message string))
		OnBinaryMessageSent(f func(data []byte))
		OnSentError(f func(err error))
		OnPingReceived(f func(appData string))
		OnPongReceived(f func(appData string))
		OnTextMessageReceived(f func(message string))
		OnBinaryMessageReceived(f func(data []byte))
		Connect()
		ConnectContext(ctx context.Context) error
		SendTextMessage(message string) error
		SendBinaryMessage(data []byte) error
		Close()
		CloseWithMsg(msg string)
		Closed() bool
		IsConnected() bool
	} = (*Wsc)(nil)
	_ interface {
		WithWriteWait(d time.Duration) *Config
		WithMaxMessageSize(n int64) *Config
		WithMinRecTime(d time.Duration) *Config
		WithMaxRecTime(d time.Duration) *Config
		WithRecFactor(f float64) *Config
		WithMessageBufferSize(n int) *Config
		WithAutoReconnect(on bool) *Config
	} = (*Config)(nil)
	_ func(http.Header) Option       = WithHeader
	_ func(*websocket.Dialer) Option = WithDialer
)
