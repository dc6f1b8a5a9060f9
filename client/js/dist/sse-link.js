// The SSE link: the stream is a fetch() whose body is read as it arrives, and
// frames go back as POSTs to the same path with ?session=. fetch rather than
// EventSource: it shows the HTTP status of a refusal (401, 403), it does not
// reconnect behind the client's back at its own pace, and Node has it built in.
import { SSEParser } from './sse-parse.js';
export class SseLink {
    constructor(fetchFn, url, ev, token) {
        this.fetchFn = fetchFn;
        this.url = url;
        this.ev = ev;
        this.token = token;
        this.kind = 'sse';
        this.ctrl = new AbortController();
        this.session = '';
        this.opened = false;
        this.done = false;
        void this.run();
    }
    /** setToken changes the token the next POSTs carry (after a refresh). */
    setToken(token) {
        this.token = token;
    }
    auth() {
        return this.token ? { Authorization: 'Bearer ' + this.token } : {};
    }
    get isOpen() {
        return this.opened && !this.done;
    }
    async run() {
        let resp;
        try {
            resp = await this.fetchFn(this.url, {
                headers: { Accept: 'text/event-stream', ...this.auth() },
                cache: 'no-store',
                signal: this.ctrl.signal,
            });
        }
        catch (cause) {
            this.finish({ code: 1006, reason: failure(cause), opened: false, cause });
            return;
        }
        if (!resp.ok || !resp.body) {
            const text = await resp.text().catch(() => '');
            this.finish({ code: 1006, reason: text.trim(), status: resp.status, opened: false });
            return;
        }
        const reader = resp.body.getReader();
        const decoder = new TextDecoder();
        const parser = new SSEParser((e) => this.event(e));
        try {
            for (;;) {
                const { value, done } = await reader.read();
                if (done || this.done)
                    break;
                this.ev.heard();
                parser.feed(decoder.decode(value, { stream: true }));
            }
            if (this.done)
                await reader.cancel().catch(() => { });
            this.finish({ code: 1006, reason: 'stream ended', opened: this.opened });
        }
        catch (cause) {
            this.finish({ code: 1006, reason: 'stream failed: ' + failure(cause), opened: this.opened, cause });
        }
    }
    event(e) {
        if (this.done)
            return;
        if (e.event === 'session') {
            try {
                this.session = String(JSON.parse(e.data).session ?? '');
            }
            catch {
                this.session = '';
            }
            if (!this.session) {
                this.close(1006, 'a session event without a session');
                return;
            }
            this.opened = true;
            this.ev.open();
            return;
        }
        if (e.event === 'close') {
            // The SSE equivalent of a close frame: {code, content}.
            let f = {};
            try {
                f = JSON.parse(e.data);
            }
            catch {
                /* keep {} */
            }
            this.close(typeof f.code === 'number' ? f.code : 1006, typeof f.content === 'string' ? f.content : '');
            return;
        }
        this.ev.frame(e.data);
    }
    /** post sends frames (one POST, an array when more than one), waiting at most timeoutMs. */
    async post(frames, timeoutMs) {
        if (!this.isOpen)
            return { ok: false, retry: true, text: 'not connected' };
        const u = new URL(this.url);
        u.searchParams.delete('last_event_id');
        u.searchParams.set('session', this.session);
        let resp;
        try {
            resp = await this.fetchFn(u.toString(), {
                method: 'POST',
                headers: { 'Content-Type': 'application/json', ...this.auth() },
                body: JSON.stringify(frames.length === 1 ? frames[0] : frames),
                ...timeoutSignal(timeoutMs),
            });
        }
        catch (cause) {
            return { ok: false, retry: true, text: 'cannot reach the server', cause };
        }
        if (resp.status === 202) {
            await resp.body?.cancel().catch(() => { });
            return { ok: true };
        }
        const text = (await resp.text().catch(() => '')).trim();
        let frame;
        try {
            const parsed = JSON.parse(text);
            if (parsed && typeof parsed === 'object')
                frame = parsed;
        }
        catch {
            /* a plain-text answer */
        }
        // 404: the session is gone (the stream ended or is ending); 503: the
        // server is shutting down. Both: send again on the next connection.
        const retry = resp.status === 404 || resp.status === 503;
        return { ok: false, retry, status: resp.status, text: frame?.content || text, frame };
    }
    close(code, reason) {
        if (this.done)
            return;
        this.finish({ code, reason, opened: this.opened });
        this.ctrl.abort();
    }
    finish(info) {
        if (this.done)
            return;
        this.done = true;
        this.ev.closed(info);
    }
}
/** failure names a fetch failure: Node's carries the socket error's code as its cause. */
function failure(e) {
    const inner = e?.cause;
    if (inner && typeof inner.code === 'string')
        return inner.code;
    if (inner && typeof inner.message === 'string')
        return inner.message;
    if (e instanceof Error)
        return e.message;
    return String(e);
}
/** timeoutSignal is {signal} that aborts after ms, where AbortSignal.timeout exists. */
export function timeoutSignal(ms) {
    const timeout = AbortSignal.timeout;
    return timeout ? { signal: timeout(ms) } : {};
}
