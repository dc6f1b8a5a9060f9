package report

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/go-wsc/go-wsc/bench/load"
)

// rows are the table's lines for one kind of workload: a header, then one
// row per workload and hub.
func (r *Results) rows(k Kind) [][]string {
	cols := Columns(k)
	head := []string{"workload", "hub"}
	for _, m := range cols {
		name := m.Name
		if m.Unit != "" {
			name += " (" + m.Unit + ")"
		}
		head = append(head, name)
	}
	rm, hasRatio := ratioMetric(k)
	if hasRatio {
		head = append(head, rm.Name+" vs "+chat)
	}
	out := [][]string{head}
	for _, w := range r.Workloads {
		if KindOf(w) != k {
			continue
		}
		for _, h := range r.Hubs {
			c := r.Cell(w, h)
			row := []string{w, h}
			switch {
			case len(c.Runs) == 0 && len(c.Errors) > 0:
				row = append(row, filler(len(cols)-1, "error: "+c.Errors[0])...)
				if hasRatio {
					row = append(row, "—")
				}
			case len(c.Runs) == 0:
				continue
			case c.NA():
				row = append(row, filler(len(cols)-1, c.Runs[0].Note)...)
			default:
				for _, m := range cols {
					row = append(row, stat(c.Stat(m.Get), m.Digits))
				}
				if hasRatio {
					row = append(row, r.ratioToChat(w, h, rm))
				}
				if len(c.Errors) > 0 {
					row[len(row)-1] += fmt.Sprintf(" [%d run(s) failed]", len(c.Errors))
				}
			}
			out = append(out, row)
		}
	}
	if len(out) == 1 {
		return nil
	}
	return out
}

// filler is n dashes then last: a row that has no figures keeps the columns.
func filler(n int, last string) []string {
	out := make([]string, 0, n+1)
	for range n {
		out = append(out, "—")
	}
	return append(out, last)
}

// kinds lists the kinds present, in table order.
func (r *Results) kinds() []Kind {
	var ks []Kind
	for _, w := range r.Workloads {
		if k := KindOf(w); !slices.Contains(ks, k) {
			ks = append(ks, k)
		}
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i] < ks[j] })
	return ks
}

// WriteText prints the table for a terminal: medians with min–max.
func (r *Results) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, k := range r.kinds() {
		for _, row := range r.rows(k) {
			fmt.Fprintln(tw, strings.Join(row, "\t"))
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, g := range append(append(AloneGoals(r), DurableGoals(r)...), Goals(r)...) {
		fmt.Fprintf(w, "%-7s %s: %s", g.Status, g.Name, g.Measured)
		if g.Gap != "" {
			fmt.Fprintf(w, " (%s)", g.Gap)
		}
		fmt.Fprintln(w)
	}
	return nil
}

// slowLines says what happened to the slow clients, per hub, run by run.
func (r *Results) slowLines() []string {
	var out []string
	for _, w := range r.Workloads {
		if !strings.HasSuffix(w, "-slow") {
			continue
		}
		for _, h := range r.Hubs {
			c := r.Cell(w, h)
			if len(c.Runs) == 0 {
				continue
			}
			var runs []string
			for _, res := range c.Runs {
				runs = append(runs, slowSummary(res))
			}
			out = append(out, fmt.Sprintf("%s, %s: %s", w, h, strings.Join(runs, " · ")))
		}
	}
	return out
}

func slowSummary(res load.Result) string {
	s := res.Slow
	if s == nil {
		return "no slow clients"
	}
	var ends []string
	if s.Open > 0 {
		ends = append(ends, fmt.Sprintf("%d still open", s.Open))
	}
	codes := make([]string, 0, len(s.Closed))
	for c := range s.Closed {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		ends = append(ends, fmt.Sprintf("%d closed (%s)", s.Closed[c], c))
	}
	out := fmt.Sprintf("%d slow clients got %s of %s messages, %s", s.Clients, num(float64(s.Received), 0),
		num(float64(s.Expected), 0), strings.Join(ends, ", "))
	if res.Note != "" {
		out += "; hub: " + res.Note
	}
	return out
}

// ratioToChat is the median of m for hub h over the chat hub's, in workload w.
func (r *Results) ratioToChat(w, h string, m Metric) string {
	v, ok := median(r, w, h, m)
	base, bok := median(r, w, chat, m)
	if !ok || !bok || base == 0 || v == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f×", v/base)
}
