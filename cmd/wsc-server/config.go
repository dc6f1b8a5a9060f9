package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-wsc/go-wsc/actors/hub"
	"github.com/go-wsc/go-wsc/transport/sse"
	"github.com/go-wsc/go-wsc/transport/ws"
	"github.com/peterbourgon/ff/v3"
)

// serverConfig is everything the flags, the environment and the config file set. parseConfig is the
// only place that fills it, so a new option (NATS, say) is one field here and
// one flag in defineFlags.
type serverConfig struct {
	Addr string
	// Port goes into the hub's node id; run sets it from the listener.
	Port int
	Hub  hub.Config
	WS   ws.Options
	SSE  sse.Options
	// Console serves the console page at /.
	Console bool
	// SendWait bounds how long POST /api/send with "wait": true waits for an
	// ack outcome.
	SendWait time.Duration
	// DrainDelay is how long /readyz answers 503 before connections are closed,
	// so that a load balancer stops sending new clients first.
	DrainDelay time.Duration
	// ShutdownTimeout bounds the whole shutdown.
	ShutdownTimeout time.Duration
	// NATSURL joins the hubs on that NATS server (or cluster); empty: none.
	NATSURL string
	// NATSEmbedded starts a NATS server in this process on NATSListen and joins it.
	NATSEmbedded bool
	NATSListen   string
	// JetStream keeps the state in NATS JetStream (store/jetstream), shared by
	// every node, instead of the data directory's wsc.db.
	JetStream         bool
	JetStreamReplicas int
	// DevIdentity trusts the query string's user_id (auth.FromQuery): for
	// development only. Without it a token configuration is required.
	DevIdentity bool
	// PprofAddr serves net/http/pprof on a listener of its own at this
	// address (empty: not at all), never on the public one.
	PprofAddr string
	// Tokens is how client tokens are checked (identity.go).
	Tokens tokenConfig
	// APIKeys and the keys of APIKeyFile guard /api/*; MetricsKey guards
	// /metrics (apikeys.go).
	APIKeys    listFlag
	APIKeyFile string
	MetricsKey string
	// HTTP bounds the HTTP layer (frontdoor.go).
	HTTP httpLimits
	// RecordsAnswerBytes bounds the JSON of one GET /api/records; zero:
	// defaultRecordsBytes.
	RecordsAnswerBytes int
	// TLSCert and TLSKey serve HTTPS (and HTTP/2) with this pair, read again
	// on SIGHUP (tls.go).
	TLSCert, TLSKey string
	// Data is where the durable state lives (datadir.go); its zero value
	// keeps everything in memory.
	Data dataConfig
	// GCPercent is the garbage collector's pace (gc.go); GCPercentFromEnv:
	// GOGC was set and -gc-percent was not, so GOGC decides.
	GCPercent        int
	GCPercentFromEnv bool
}

// envPrefix + the flag's name in upper case with '-' as '_' is a flag's
// environment variable: -client-timeout is WSC_CLIENT_TIMEOUT.
const envPrefix = "WSC_"

func envName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// defineFlags registers every option on fs, with defaults equal to the hub's
// own (so that -h tells the truth), and returns the config they fill plus the
// fix-ups that need the parsed values.
func defineFlags(fs *flag.FlagSet) (*serverConfig, func() error) {
	c := &serverConfig{}
	var maxRetry int
	var origins string
	var disableRecords bool

	fs.StringVar(&c.Addr, "addr", ":8080", "address to listen on")
	fs.StringVar(&c.Hub.NodeID, "node-id", "", "this node's id (empty: node-<ip>-<port>-<n>)")
	fs.DurationVar(&c.Hub.HeartbeatInterval, "heartbeat", 30*time.Second, "interval between WebSocket pings")
	fs.DurationVar(&c.Hub.ClientTimeout, "client-timeout", 90*time.Second, "close (3001) a connection silent this long")
	fs.IntVar(&c.Hub.MessageBufferSize, "message-buffer", 256, "outbound queue per connection, in frames (overflow closes it with 3002)")
	fs.Int64Var(&c.Hub.MaxMessageSize, "max-message-size", 64<<10, "largest inbound frame in bytes (WebSocket 1009, SSE POST 413)")
	fs.Float64Var(&c.Hub.RateLimit, "rate-limit", 100, "inbound frames per second per connection, sustained (over it, past -rate-burst: close 3003); 0 for no limit")
	fs.IntVar(&c.Hub.RateBurst, "rate-burst", 200, "inbound frames a connection may send at once before -rate-limit applies")
	fs.IntVar(&c.Hub.Shards, "shards", 0, "hub actors routing side by side, users and tickets spread over them by hash; 0: one per core (GOMAXPROCS); a node with -nats runs one")
	fs.IntVar(&c.Hub.MaxConnectionsPerUser, "max-conns-per-user", 32, "connections a user may hold at once (more: refused with 1008), 0 for no limit")
	fs.DurationVar(&c.Hub.SSEHeartbeat, "sse-heartbeat", 30*time.Second, "interval between SSE heartbeat comments")
	fs.DurationVar(&c.Hub.SSETimeout, "sse-timeout", 2*time.Minute, "end an SSE stream after this long without client activity")
	fs.BoolVar(&c.Hub.EnableAck, "enable-ack", false, "make every message require an ack (a message may also ask with require_ack)")
	fs.DurationVar(&c.Hub.AckTimeout, "ack-timeout", 5*time.Second, "first wait for an ack; each later wait doubles")
	fs.IntVar(&maxRetry, "max-retry", 3, "copies resent without an ack before the offline path; 0 for none")
	fs.DurationVar(&c.Hub.MaxBackoff, "max-backoff", time.Minute, "cap on each wait for an ack")
	fs.BoolVar(&disableRecords, "disable-records", false, "turn the message records off")
	fs.IntVar(&c.Hub.MaxRecords, "max-records", 10_000, "message records kept (oldest finished ones go first)")
	fs.DurationVar(&c.Hub.RecordRetention, "record-retention", 24*time.Hour, "how long a message record is kept")
	fs.StringVar(&origins, "allowed-origins", "", `comma-separated browser origins allowed besides the same host ("*" for any, "*.example.com")`)
	fs.BoolVar(&c.Console, "console", true, "serve the console page at /")
	fs.DurationVar(&c.SendWait, "send-wait", 30*time.Second, `longest wait of POST /api/send with "wait": true for an ack outcome`)
	fs.DurationVar(&c.DrainDelay, "drain-delay", 0, "on shutdown, answer /readyz with 503 this long before closing connections")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", 10*time.Second, "bound on the whole shutdown")
	fs.StringVar(&c.NATSURL, "nats", "", "NATS server URL(s), comma-separated, shared with the other nodes (empty: a single node)")
	fs.BoolVar(&c.NATSEmbedded, "nats-embedded", false, "start a NATS server in this process on -nats-listen and use it (other nodes join with -nats)")
	fs.StringVar(&c.NATSListen, "nats-listen", "127.0.0.1:4222", "address of the embedded NATS server")
	fs.BoolVar(&c.JetStream, "jetstream", false, "with -nats or -nats-embedded: keep the offline store, pending acks, sequences and ticket memberships in NATS JetStream, shared by every node (a user gets on any node what any node stored; a dead node's pending acks are taken over), instead of -data-dir's wsc.db; -nats-embedded then runs JetStream with its files under -data-dir/nats")
	fs.IntVar(&c.JetStreamReplicas, "jetstream-replicas", 1, "replicas of each JetStream stream and bucket (3 in a three-server NATS cluster)")
	fs.DurationVar(&c.Hub.ClusterHeartbeat, "cluster-heartbeat", time.Second, "how often a node announces its users; silent for three: taken for dead")

	// Identity of /ws and /sse clients (identity.go).
	fs.BoolVar(&c.DevIdentity, "dev-identity", false, "development mode: trust ?user_id= (anyone can connect as anyone); without it a token setting is required")
	fs.StringVar(&c.Tokens.JWTSecret, "jwt-secret", "", "HMAC secret (32 bytes or more) of HS256/384/512 tokens; prefer WSC_JWT_SECRET or the config file to the command line")
	fs.StringVar(&c.Tokens.JWKSURL, "jwks-url", "", "URL of the JWKS whose keys verify RS*, PS*, ES* and EdDSA tokens (fetched at start, every 5 min, and for an unknown kid)")
	fs.StringVar(&c.Tokens.JWKSFile, "jwks-file", "", "JWKS file whose keys verify RS*, PS*, ES* and EdDSA tokens; read again on SIGHUP")
	fs.StringVar(&c.Tokens.Audience, "jwt-audience", "", "required token audience (aud); empty: not checked")
	fs.StringVar(&c.Tokens.Issuer, "jwt-issuer", "", "required token issuer (iss); empty: not checked")
	fs.StringVar(&c.Tokens.UserTypeClaim, "jwt-user-type-claim", "user_type", "token claim holding the user type")
	fs.StringVar(&c.Tokens.RoleClaim, "jwt-role-claim", "role", "token claim holding the role")
	fs.StringVar(&c.Tokens.TicketsClaim, "jwt-tickets-claim", "tickets", "token claim listing the tickets joined at connection (and the only ones the user may post to)")
	fs.DurationVar(&c.Tokens.RefreshGrace, "jwt-refresh-grace", 30*time.Second, "once a live connection's token expires, how long it has to send a new one (refresh frame) before it is closed with 4001")
	fs.DurationVar(&c.Tokens.Leeway, "jwt-leeway", 0, "clock skew tolerated on a token's exp, nbf and iat")
	fs.StringVar(&c.Tokens.ConnectHook, "connect-hook", "", "instead of tokens: POST each connecting request's headers, cookies and query to this URL, which answers the identity (200 JSON) or 401/403; down or slow: 503")
	fs.DurationVar(&c.Tokens.ConnectHookTimeout, "connect-hook-timeout", 5*time.Second, "bound on each -connect-hook call (past it: 503, the client retries)")

	// Keys of the HTTP API and the metrics (apikeys.go).
	fs.Var(&c.APIKeys, "api-key", "`key` (16+ characters) that /api/* requires as Authorization: Bearer or X-API-Key; repeatable or comma-separated; required unless -dev-identity")
	fs.StringVar(&c.APIKeyFile, "api-key-file", "", "file of API keys, one per line (# comments)")
	fs.StringVar(&c.MetricsKey, "metrics-key", "", "key that /metrics requires (Bearer or X-API-Key); empty: /metrics is open")

	// The HTTP layer's bounds (frontdoor.go, listener.go).
	fs.DurationVar(&c.HTTP.ReadHeaderTimeout, "read-header-timeout", 5*time.Second, "bound on reading a request's headers")
	fs.DurationVar(&c.HTTP.ReadTimeout, "read-timeout", 30*time.Second, "bound on reading a whole request (API, SSE POST, metrics); not on the WebSocket and SSE streams")
	fs.DurationVar(&c.HTTP.WriteTimeout, "write-timeout", 30*time.Second, "bound on writing an answer (API, SSE POST, metrics; POST /api/send adds -send-wait); not on the streams")
	fs.DurationVar(&c.HTTP.IdleTimeout, "idle-timeout", time.Minute, "close a keep-alive connection idle this long")
	fs.IntVar(&c.HTTP.MaxHeaderBytes, "max-header-bytes", 64<<10, "bound on a request's headers (query string included), in bytes")
	fs.IntVar(&c.HTTP.MaxOpen, "max-open-conns", 0, "open connections at most (past it a new one is closed at once); 0: nine tenths of the open-file limit")
	fs.IntVar(&c.RecordsAnswerBytes, "records-answer-bytes", defaultRecordsBytes, "bound on the JSON of one GET /api/records (the rest: \"truncated\": true)")
	fs.IntVar(&c.HTTP.MaxPerAddr, "max-conns-per-ip", 1024, "open connections per client address (loopback exempt: a proxy on the same host), 0 for no limit")

	// HTTPS (tls.go).
	fs.StringVar(&c.TLSCert, "tls-cert", "", "PEM certificate (chain) to serve HTTPS and HTTP/2 with; read again on SIGHUP")
	fs.StringVar(&c.TLSKey, "tls-key", "", "PEM private key of -tls-cert; read again on SIGHUP")
	// What survives a restart (datadir.go).
	fs.StringVar(&c.Data.Dir, "data-dir", "./wsc-data", "directory of the state that survives a restart and a crash (offline messages, pending acks, sequences, ticket memberships, records): one file, wsc.db; one server per directory")
	fs.BoolVar(&c.Data.Memory, "memory", false, "keep everything in memory and ignore -data-dir: a restart loses the offline store, pending acks and records")
	fs.IntVar(&c.Data.Store.OfflinePerUser, "offline-per-user", 1000, "offline messages kept per user (past it the user's oldest goes)")
	fs.Int64Var(&c.Data.Store.OfflinePerUserBytes, "offline-per-user-bytes", 8<<20, "offline bytes kept per user (past it the user's oldest goes)")
	fs.IntVar(&c.Data.Store.OfflineTotal, "offline-total", 100_000, "offline messages kept in all (past it the oldest of all users goes); they are held in memory too")
	fs.Int64Var(&c.Data.Store.OfflineTotalBytes, "offline-total-bytes", 256<<20, "offline bytes kept in all (past it the oldest of all users goes); they are held in memory too")
	fs.IntVar(&c.Data.Store.HistoryPerUser, "history-size", 64, "messages kept per user for a resume (last_event_id over WebSocket, Last-Event-ID over SSE); older ones come from the offline store")
	fs.DurationVar(&c.Data.Store.HistoryTTL, "history-ttl", time.Hour, "how long a message stays resumable (a network switch, a deploy)")
	fs.Int64Var(&c.Data.Store.HistoryMaxBytes, "history-max-bytes", 64<<20, "bytes of resume history kept on disk for all users together (past it the oldest messages go before -history-ttl); -memory keeps the default")
	fs.IntVar(&c.GCPercent, gcPercentFlag, defaultGCPercent, "garbage collector pace: a cycle starts once the heap has grown this many percent over its live size (higher: fewer cycles, more memory; negative: off); GOGC in the environment wins over this default, GOMEMLIMIT, or nine tenths of a container's memory bound, still bounds the heap")
	fs.StringVar(&c.PprofAddr, "pprof", "", "serve net/http/pprof (/debug/pprof/) on this address, a listener of its own (empty: off; keep it on 127.0.0.1)")

	finish := func() error {
		if maxRetry < 0 {
			return errors.New("-max-retry is negative")
		}
		if maxRetry == 0 {
			maxRetry = -1 // the hub reads zero as its default of 3, and negative as none
		}
		c.Hub.MaxRetry = maxRetry
		c.Hub.DisableMessageRecord = disableRecords
		for _, o := range strings.Split(origins, ",") {
			if o = strings.TrimSpace(o); o != "" {
				c.WS.AllowedOrigins = append(c.WS.AllowedOrigins, o)
			}
		}
		c.SSE.AllowedOrigins = c.WS.AllowedOrigins
		if c.JetStream && (c.NATSURL == "" && !c.NATSEmbedded || c.Data.Memory) {
			return errors.New("-jetstream needs -nats or -nats-embedded, and not -memory")
		}
		if c.NATSEmbedded && c.NATSURL != "" {
			return errors.New("-nats and -nats-embedded exclude each other: the embedded server is the one to join")
		}
		if err := c.checkTLS(); err != nil {
			return err
		}
		if strings.TrimSpace(c.Data.Dir) == "" && !c.Data.Memory {
			return errors.New("-data-dir is empty: name a directory, or run with -memory")
		}
		st := &c.Data.Store
		if st.OfflinePerUser < 0 || st.OfflineTotal < 0 || st.OfflinePerUserBytes < 0 || st.OfflineTotalBytes < 0 {
			return errors.New("-offline-per-user, -offline-total and their -bytes bounds may not be negative")
		}
		if st.HistoryPerUser < 0 || st.HistoryTTL < 0 || st.HistoryMaxBytes < 0 {
			return errors.New("-history-size, -history-ttl and -history-max-bytes may not be negative")
		}
		// The same bounds for the hub's in-memory store (-memory), whose
		// recent ring is the history's size too.
		c.Hub.RecentPerUser, c.Hub.HistoryTTL = st.HistoryPerUser, st.HistoryTTL
		c.Hub.OfflinePerUser, c.Hub.OfflineTotal = st.OfflinePerUser, st.OfflineTotal
		c.Hub.OfflinePerUserBytes, c.Hub.OfflineTotalBytes = st.OfflinePerUserBytes, st.OfflineTotalBytes
		if c.HTTP.MaxOpen < 0 || c.HTTP.MaxPerAddr < 0 || c.HTTP.MaxHeaderBytes < 0 || c.RecordsAnswerBytes < 0 {
			return errors.New("-max-open-conns, -max-conns-per-ip, -max-header-bytes and -records-answer-bytes may not be negative")
		}
		for name, d := range map[string]time.Duration{"send-wait": c.SendWait, "drain-delay": c.DrainDelay, "shutdown-timeout": c.ShutdownTimeout,
			"read-header-timeout": c.HTTP.ReadHeaderTimeout, "read-timeout": c.HTTP.ReadTimeout, "write-timeout": c.HTTP.WriteTimeout, "idle-timeout": c.HTTP.IdleTimeout} {
			if d < 0 {
				return fmt.Errorf("-%s is negative", name)
			}
		}
		return nil
	}
	return c, finish
}

// parseConfig reads args, the environment and the file named by -config (or
// WSC_CONFIG), in that order of precedence: a flag on the command line wins
// over its environment variable, which wins over the file. -h writes the usage
// to out and returns flag.ErrHelp. The hub's own checks (negative durations
// and limits) run in hub.New.
func parseConfig(args []string, out io.Writer) (serverConfig, error) {
	fs := flag.NewFlagSet("wsc-server", flag.ContinueOnError)
	fs.SetOutput(out)
	c, finish := defineFlags(fs)
	fs.String(configFlag, "", "read settings from this file (.toml, .yaml, .yml or .json; keys are flag names); flags and environment win over it")
	fs.Usage = func() { printUsage(fs) }

	err := ff.Parse(fs, args,
		ff.WithEnvVarPrefix(strings.TrimSuffix(envPrefix, "_")),
		ff.WithConfigFileFlag(configFlag),
		ff.WithConfigFileParser(configFileParser(fs)))
	if err != nil {
		return serverConfig{}, err
	}
	if fs.NArg() > 0 {
		return serverConfig{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c.GCPercentFromEnv = gcPercentFromEnv(fs)
	if err := finish(); err != nil {
		return serverConfig{}, err
	}
	return *c, nil
}

// printUsage lists every flag with its environment variable and its default,
// zero values included (flag.PrintDefaults leaves those out).
func printUsage(fs *flag.FlagSet) {
	w := fs.Output()
	fmt.Fprintf(w, "Usage: wsc-server [flags]\n\n")
	fmt.Fprintf(w, "go-wsc's server: WebSocket at /ws, SSE at /sse, the HTTP API under /api/,\n")
	fmt.Fprintf(w, "/metrics, /healthz, /readyz and the console page at /. Every flag can also be\n")
	fmt.Fprintf(w, "set by its environment variable or by its name as a key of the -config file;\n")
	fmt.Fprintf(w, "a flag on the command line wins over the environment, which wins over the file.\n\n")
	fs.VisitAll(func(f *flag.Flag) {
		typ, usage := flag.UnquoteUsage(f)
		if typ != "" {
			typ = " " + typ
		}
		fmt.Fprintf(w, "  -%s%s\n    \t%s\n    \tenv %s, default %q\n", f.Name, typ, usage, envName(f.Name), f.DefValue)
	})
}
