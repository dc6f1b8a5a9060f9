package auth

import (
	"net/http"
	"net/url"
	"path"
	"strings"
)

// OriginChecker returns the origin policy: requests without an Origin header
// (non-browser clients) pass; otherwise the Origin's host must equal the
// request's Host, or match one of allowed ("*" allows all; patterns as in
// path.Match, e.g. "*.example.com", compared case-insensitively, host[:port]).
func OriginChecker(allowed []string) func(r *http.Request) bool {
	return func(r *http.Request) bool {
		origin := r.Header.Get("Origin")
		if origin == "" {
			return true
		}
		u, err := url.Parse(origin)
		if err != nil || u.Host == "" {
			return false
		}
		host := strings.ToLower(u.Host)
		if host == strings.ToLower(r.Host) {
			return true
		}
		for _, pattern := range allowed {
			if pattern == "*" {
				return true
			}
			if ok, _ := path.Match(strings.ToLower(pattern), host); ok {
				return true
			}
		}
		return false
	}
}
