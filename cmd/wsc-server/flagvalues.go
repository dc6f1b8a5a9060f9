package main

import "strings"

// listFlag is a repeatable flag: each -name value (or environment variable,
// or config-file array element) adds its comma-separated items.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			*l = append(*l, item)
		}
	}
	return nil
}

// Get makes listFlag a flag.Getter, as the standard flag types are.
func (l *listFlag) Get() any { return []string(*l) }
