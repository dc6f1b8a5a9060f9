package load

import (
	"bytes"
	"strconv"
	"time"
)

// A message's content is "<seq>.<unix-nanos>" and, when a payload size is
// asked for, "." and padding, so a receiver can find it in any hub's JSON
// without decoding the frame. With chat text (Traffic.Chat) a short line of
// text follows that needs escapes in JSON, as real chat text does: a server
// whose decoder stumbles on \" or \n pays for it.

// chatText is the chat line: raw, and as it appears inside a JSON string.
const (
	chatText        = ".she said \"hi\"\n"
	chatTextEscaped = `.she said \"hi\"\n`
)

var contentKey = []byte(`"content":"`)

// appendContent appends the content of message seq sent now, padded to payload bytes.
func appendContent(b []byte, seq int, payload int) []byte {
	start := len(b)
	b = strconv.AppendInt(b, int64(seq), 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, time.Now().UnixNano(), 10)
	if pad := payload - (len(b) - start) - 1; pad > 0 {
		b = append(b, '.')
		for range pad {
			b = append(b, 'x')
		}
	}
	return b
}

// parseContent finds seq and the send time in a frame.
func parseContent(frame []byte) (seq int, sentNs int64, ok bool) {
	i := bytes.Index(frame, contentKey)
	if i < 0 {
		return 0, 0, false
	}
	rest := frame[i+len(contentKey):]
	dot := bytes.IndexByte(rest, '.')
	if dot <= 0 {
		return 0, 0, false
	}
	s, err := strconv.Atoi(string(rest[:dot]))
	if err != nil {
		return 0, 0, false
	}
	rest = rest[dot+1:]
	end := bytes.IndexAny(rest, `."`)
	if end <= 0 {
		return 0, 0, false
	}
	ns, err := strconv.ParseInt(string(rest[:end]), 10, 64)
	if err != nil {
		return 0, 0, false
	}
	return s, ns, true
}

// splitBatch cuts a frame into its messages, each holding one content: a
// batch (a JSON array of message objects) has one per element; anything else
// is one message. The cut is at each content key, which a content's own text
// never holds unescaped (its quotes are \").
func splitBatch(frame []byte) [][]byte {
	if len(frame) == 0 || frame[0] != '[' {
		return [][]byte{frame}
	}
	var out [][]byte
	for {
		i := bytes.Index(frame, contentKey)
		if i < 0 {
			return out
		}
		next := bytes.Index(frame[i+len(contentKey):], contentKey)
		if next < 0 {
			return append(out, frame[i:])
		}
		end := i + len(contentKey) + next
		out = append(out, frame[i:end])
		frame = frame[end:]
	}
}

// frameTo is the client frame that sends content to user.
func frameTo(b []byte, user string, seq, payload int, chat bool) []byte {
	b = append(b[:0], `{"to":"`...)
	b = append(b, user...)
	b = append(b, `","content":"`...)
	b = appendContent(b, seq, payload)
	if chat {
		b = append(b, chatTextEscaped...)
	}
	return append(b, `"}`...)
}

// contentOf is the content of message seq, as the broadcaster sends it.
func contentOf(seq, payload int, chat bool) []byte {
	b := appendContent(nil, seq, payload)
	if chat {
		b = append(b, chatText...)
	}
	return b
}
