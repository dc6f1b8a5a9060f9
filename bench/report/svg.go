package report

import (
	"fmt"
	"html"
	"io"
	"strings"
)

var hubColors = map[string]string{"actor": "#2563eb", "lock": "#9ca3af", "channel": "#f59e0b", "melody": "#10b981",
	"wsc-server": "#2563eb", "wsc-server-memory": "#93c5fd", "wsc-server-batch": "#1e3a8a", "chat": "#f59e0b", "ceiling": "#6b7280"}

const (
	svgWidth   = 980
	panelWidth = 470
	labelWidth = 100 // "wsc-server-memory"
	barArea    = 270
	barHeight  = 14
	barGap     = 5
	titleSpace = 22
)

// panel is one chart: a bar per hub for one metric of one workload.
type panel struct {
	title string
	unit  string
	lower bool
	bars  []bar
}

type bar struct {
	hub   string
	s     Stat
	digit int
}

func (r *Results) panel(w string, m Metric) *panel {
	p := &panel{title: w + " · " + m.Name, unit: m.Unit, lower: m.Lower}
	for _, h := range r.Hubs {
		if !r.Has(w, h) {
			continue
		}
		p.bars = append(p.bars, bar{hub: h, s: r.Cell(w, h).Stat(m.Get), digit: m.Digits})
	}
	if len(p.bars) == 0 {
		return nil
	}
	return p
}

// chartRows pairs the panels: throughput and p99 for traffic, throughput and
// allocations for routing, RSS and connect rate for idle connections.
func (r *Results) chartRows() [][2]*panel {
	var rows [][2]*panel
	for _, w := range r.Workloads {
		var left, right Metric
		switch KindOf(w) {
		case KindTraffic, KindAck:
			left, right = mThroughput, mP99
		case KindRouting:
			left, right = mThroughput, mAllocsOp
		case KindIdle, KindAloneIdle:
			left, right = mRSSConn, mConnRate
		case KindAlone:
			left, right = mCPUMsg, mThroughput
		default:
			continue
		}
		l, rt := r.panel(w, left), r.panel(w, right)
		if l != nil || rt != nil {
			rows = append(rows, [2]*panel{l, rt})
		}
	}
	return rows
}

// WriteSVG draws the chart: two panels a row, bars at the median with a
// min–max whisker.
func (r *Results) WriteSVG(w io.Writer, caption string) error {
	rows := r.chartRows()
	var body strings.Builder
	y := 40
	for _, row := range rows {
		h := 0
		for i, p := range row {
			if p == nil {
				continue
			}
			h = max(h, p.draw(&body, 10+i*(panelWidth+20), y))
		}
		y += h + 16
	}
	legend := 10
	var lg strings.Builder
	for _, h := range r.Hubs {
		fmt.Fprintf(&lg, `<rect x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d">%s</text>`,
			legend, y, color(h), legend+16, y+10, html.EscapeString(h))
		legend += 24 + 8*len(h) + 20
	}
	fmt.Fprintf(&lg, `<text x="%d" y="%d" fill="#555">bar: median of the runs; line: min–max</text>`, legend+10, y+10)
	height := y + 30
	_, err := fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">
<rect width="100%%" height="100%%" fill="#ffffff"/>
<text x="10" y="22" font-size="15" font-weight="bold">%s</text>
%s%s
</svg>
`, svgWidth, height, svgWidth, height, html.EscapeString(caption), body.String(), lg.String())
	return err
}

// draw writes the panel at (x, y) and returns its height.
func (p *panel) draw(b *strings.Builder, x, y int) int {
	better := "higher is better"
	if p.lower {
		better = "lower is better"
	}
	unit := ""
	if p.unit != "" {
		unit = " (" + p.unit + ")"
	}
	fmt.Fprintf(b, `<text x="%d" y="%d" font-weight="bold">%s%s</text><text x="%d" y="%d" fill="#777" text-anchor="end">%s</text>`+"\n",
		x, y+12, html.EscapeString(p.title), html.EscapeString(unit), x+panelWidth, y+12, better)
	top := 0.0
	for _, br := range p.bars {
		top = max(top, br.s.Max, br.s.Median)
	}
	if top <= 0 {
		top = 1
	}
	scale := float64(barArea) / top
	by := y + titleSpace
	for _, br := range p.bars {
		wd := int(br.s.Median*scale + 0.5)
		fmt.Fprintf(b, `<text x="%d" y="%d">%s</text><rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`,
			x, by+11, html.EscapeString(br.hub), x+labelWidth, by, max(wd, 1), barHeight, color(br.hub))
		if br.s.Max > br.s.Min {
			x0, x1 := x+labelWidth+int(br.s.Min*scale), x+labelWidth+int(br.s.Max*scale)
			mid := by + barHeight/2
			fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#111" stroke-width="1.5"/><line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#111"/><line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#111"/>`,
				x0, mid, x1, mid, x0, mid-4, x0, mid+4, x1, mid-4, x1, mid+4)
		}
		fmt.Fprintf(b, `<text x="%d" y="%d">%s</text>`+"\n", x+labelWidth+barArea+8, by+11, html.EscapeString(num(br.s.Median, br.digit)))
		by += barHeight + barGap
	}
	return by - y
}

func color(h string) string {
	if c, ok := hubColors[h]; ok {
		return c
	}
	return "#6b7280"
}
