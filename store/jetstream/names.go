package jetstream

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// Names on the server. Users, tickets, streams and ids go into subjects and
// KV keys base64url-encoded (no padding): they may contain '.', '*' or '>',
// which NATS reads as token separators and wildcards.

// token encodes s as one subject token.
func token(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// untoken decodes a token made by token.
func untoken(t string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(t)
	return string(b), err
}

// names are the streams, buckets and subjects of one store (one Prefix).
type names struct {
	offStream, histStream    string // stream names
	offSubj, histSubj        string // subject prefixes, each ending in '.'
	pending, seq, tick, recs string // KV bucket names
}

func newNames(prefix string) (names, error) {
	if prefix == "" || strings.Trim(prefix, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != "" {
		return names{}, fmt.Errorf("wsc: jetstream store: prefix %q: want letters, digits, '-' or '_'", prefix)
	}
	up := strings.ToUpper(prefix)
	return names{
		offStream: up + "_OFFLINE", histStream: up + "_HISTORY",
		offSubj: prefix + ".off.", histSubj: prefix + ".hist.",
		pending: up + "_PENDING", seq: up + "_SEQ", tick: up + "_TICKETS", recs: up + "_RECORDS",
	}, nil
}

// kvSubject is the subject a KV bucket keeps key under (what kv.Put publishes to).
func kvSubject(bucket, key string) string { return "$KV." + bucket + "." + key }
