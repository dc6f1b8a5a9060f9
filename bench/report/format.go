package report

import (
	"strconv"
	"strings"
)

// num formats v with digits decimals and thousands separators.
func num(v float64, digits int) string {
	s := strconv.FormatFloat(v, 'f', digits, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// stat formats a median with its range: "12,345 (11,900–12,800)".
func stat(s Stat, digits int) string {
	if s.N == 0 {
		return "—"
	}
	if s.N == 1 || s.Min == s.Max {
		return num(s.Median, digits)
	}
	return num(s.Median, digits) + " (" + num(s.Min, digits) + "–" + num(s.Max, digits) + ")"
}
