// An incremental parser of the text/event-stream format (the HTML standard's
// "event stream interpretation"): feed it chunks of text as they arrive, and
// it calls back once per complete event.

/** One server-sent event. */
export interface SSEEvent {
  event: string;
  data: string;
  id: string;
}

export class SSEParser {
  private buf = '';
  private data: string[] = [];
  private event = '';
  private id = '';

  constructor(private readonly onEvent: (e: SSEEvent) => void) {}

  /** feed takes the next piece of the stream, which may end anywhere. */
  feed(chunk: string): void {
    this.buf += chunk;
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buf);
      if (!m) return;
      // A lone \r at the end may be the first half of \r\n: wait for more.
      if (m[0] === '\r' && m.index === this.buf.length - 1) return;
      const line = this.buf.slice(0, m.index);
      this.buf = this.buf.slice(m.index + m[0].length);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return; // a comment: the server's heartbeat
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.id = value;
        break;
      // 'retry' sets EventSource's own reconnect pace; this client keeps its backoff.
    }
  }

  private dispatch(): void {
    if (this.data.length === 0) {
      this.event = '';
      return;
    }
    const e = { event: this.event || 'message', data: this.data.join('\n'), id: this.id };
    this.data = [];
    this.event = '';
    this.onEvent(e);
  }
}
