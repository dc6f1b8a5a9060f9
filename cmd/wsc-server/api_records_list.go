package main

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/go-wsc/go-wsc/actors/recorder"
)

// writeRecordList streams {"records": [...], "count", "matched", "truncated"}:
// each record is encoded on its own into one reused buffer and written out,
// so the answer never sits in memory whole, and the list stops before the
// record that would take it past maxBytes ("truncated": true; the first
// record is always written, and GET /api/records/{id} reads any one).
func writeRecordList(w http.ResponseWriter, recs []recorder.Record, matched, maxBytes int) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	written, count, truncated := 0, 0, false
	_, _ = w.Write([]byte(`{"records":[`))
	for i := range recs {
		buf.Reset()
		if count > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(viewRecord(recs[i])); err != nil {
			continue // a view of plain fields: not expected to fail
		}
		item := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		if count > 0 && written+len(item) > maxBytes {
			truncated = true
			break
		}
		if _, err := w.Write(item); err != nil {
			return // the client is gone, or the write deadline passed
		}
		written += len(item)
		count++
	}
	tail, _ := json.Marshal(map[string]any{"count": count, "matched": matched, "truncated": truncated})
	_, _ = w.Write([]byte("],"))
	_, _ = w.Write(tail[1:]) // the object's fields after its '{'
	_, _ = w.Write([]byte("\n"))
}
