package report

import (
	"math"
	"slices"

	"github.com/go-wsc/go-wsc/bench/load"
)

// Stat is the median and range of one metric over the runs.
type Stat struct {
	Median, Min, Max float64
	N                int
}

// Of summarises vs (empty: N == 0).
func Of(vs []float64) Stat {
	if len(vs) == 0 {
		return Stat{}
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return Stat{Median: m, Min: s[0], Max: s[len(s)-1], N: len(s)}
}

// Cell is every run of one workload on one hub.
type Cell struct {
	Hub, Workload string
	Runs          []load.Result
	Errors        []string
}

// Stat summarises one metric of the cell's runs.
func (c *Cell) Stat(metric func(load.Result) float64) Stat {
	vs := make([]float64, 0, len(c.Runs))
	for _, r := range c.Runs {
		if v := metric(r); !math.IsNaN(v) { // NaN: not measured in that run
			vs = append(vs, v)
		}
	}
	return Of(vs)
}

// NA reports whether the workload does not apply to the hub.
func (c *Cell) NA() bool {
	return len(c.Runs) > 0 && c.Runs[0].Expected == 0 && c.Runs[0].Clients == 0 && c.Runs[0].Note != ""
}

// Results holds the cells of a benchmark, in the order workloads and hubs were given.
type Results struct {
	Hubs, Workloads []string
	cells           map[[2]string]*Cell
}

// NewResults prepares an empty table.
func NewResults(hubs, workloads []string) *Results {
	return &Results{Hubs: hubs, Workloads: workloads, cells: map[[2]string]*Cell{}}
}

// Cell returns (making it) the cell of workload w on hub h.
func (r *Results) Cell(w, h string) *Cell {
	k := [2]string{w, h}
	c := r.cells[k]
	if c == nil {
		c = &Cell{Hub: h, Workload: w}
		r.cells[k] = c
	}
	return c
}

// Add records one run's result (or its error).
func (r *Results) Add(w, h string, res load.Result, err error) {
	c := r.Cell(w, h)
	if err != nil {
		c.Errors = append(c.Errors, err.Error())
		return
	}
	c.Runs = append(c.Runs, res)
}

// Has reports whether workload w has at least one run on hub h.
func (r *Results) Has(w, h string) bool {
	c := r.cells[[2]string{w, h}]
	return c != nil && len(c.Runs) > 0 && !c.NA()
}
