// Generated from client/js (npm run build): do not edit; the console imports it.

// src/backoff.ts
var DEFAULT_MIN_MS = 500;
var DEFAULT_MAX_MS = 3e4;
function backoffCap(n, opts = {}) {
  const min = opts.minMs || DEFAULT_MIN_MS;
  const max = Math.max(opts.maxMs || DEFAULT_MAX_MS, min);
  return Math.min(max, min * 2 ** Math.min(n, 64));
}
function backoffDelay(n, opts = {}, random = Math.random) {
  return Math.floor(random() * backoffCap(n, opts));
}

// src/dedup.ts
var SeenIds = class {
  constructor(limit) {
    this.limit = limit;
    this.ids = /* @__PURE__ */ new Map();
  }
  get(id) {
    return this.ids.get(id);
  }
  /** add remembers id (as new) and returns its entry. */
  add(id) {
    const entry = {};
    this.ids.set(id, entry);
    while (this.ids.size > this.limit) {
      const oldest = this.ids.keys().next().value;
      this.ids.delete(oldest);
    }
    return entry;
  }
  get size() {
    return this.ids.size;
  }
};

// src/emitter.ts
var Emitter = class {
  constructor() {
    this.handlers = {};
  }
  on(event, fn) {
    var _a;
    ((_a = this.handlers)[event] ?? (_a[event] = [])).push(fn);
    return () => this.off(event, fn);
  }
  off(event, fn) {
    const list = this.handlers[event];
    if (!list) return;
    const i = list.indexOf(fn);
    if (i >= 0) list.splice(i, 1);
  }
  /**
   * emit calls every handler of event with value. It returns what they
   * returned (a handler may return a promise) and what they threw.
   */
  emit(event, value) {
    const results = [];
    const thrown = [];
    for (const fn of [...this.handlers[event] ?? []]) {
      try {
        results.push(fn(value));
      } catch (e) {
        thrown.push(e);
      }
    }
    return { results, thrown };
  }
};

// src/errors.ts
var WscError = class extends Error {
  constructor(kind, message, details = {}) {
    super("wsc: " + message);
    this.name = "WscError";
    this.kind = kind;
    this.code = details.code;
    this.status = details.status;
    this.reason = details.reason;
    this.messageId = details.messageId;
    this.final = details.final ?? false;
    if (details.cause !== void 0) this.cause = details.cause;
  }
};
var FINAL_CLOSE_CODES = /* @__PURE__ */ new Set([1e3, 1008, 3e3]);
var FINAL_HTTP_STATUSES = /* @__PURE__ */ new Set([401, 403]);
var CLOSE_NAMES = {
  1e3: "normal",
  1001: "going away",
  1006: "connection lost",
  1007: "invalid data",
  1008: "policy violation",
  1009: "message too big",
  3e3: "replaced",
  3001: "idle timeout",
  3002: "slow consumer",
  3003: "rate limited",
  4001: "token expired"
};

// src/liveness.ts
var Liveness = class {
  constructor(pingMs, timeoutMs, ping, dead) {
    this.pingMs = pingMs;
    this.timeoutMs = timeoutMs;
    this.ping = ping;
    this.dead = dead;
  }
  start() {
    this.stop();
    this.ticker = setInterval(() => {
      if (this.ping() && this.deadline === void 0) {
        this.deadline = setTimeout(() => {
          this.stop();
          this.dead();
        }, this.timeoutMs);
      }
    }, this.pingMs);
  }
  /** heard: something came from the server. */
  heard() {
    clearTimeout(this.deadline);
    this.deadline = void 0;
  }
  stop() {
    clearInterval(this.ticker);
    clearTimeout(this.deadline);
    this.ticker = void 0;
    this.deadline = void 0;
  }
};

// src/sse-parse.ts
var SSEParser = class {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buf = "";
    this.data = [];
    this.event = "";
    this.id = "";
  }
  /** feed takes the next piece of the stream, which may end anywhere. */
  feed(chunk) {
    this.buf += chunk;
    for (; ; ) {
      const m = /\r\n|\r|\n/.exec(this.buf);
      if (!m) return;
      if (m[0] === "\r" && m.index === this.buf.length - 1) return;
      const line = this.buf.slice(0, m.index);
      this.buf = this.buf.slice(m.index + m[0].length);
      this.line(line);
    }
  }
  line(line) {
    if (line === "") {
      this.dispatch();
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "data":
        this.data.push(value);
        break;
      case "event":
        this.event = value;
        break;
      case "id":
        if (!value.includes("\0")) this.id = value;
        break;
    }
  }
  dispatch() {
    if (this.data.length === 0) {
      this.event = "";
      return;
    }
    const e = { event: this.event || "message", data: this.data.join("\n"), id: this.id };
    this.data = [];
    this.event = "";
    this.onEvent(e);
  }
};

// src/sse-link.ts
var SseLink = class {
  constructor(fetchFn, url, ev, token) {
    this.fetchFn = fetchFn;
    this.url = url;
    this.ev = ev;
    this.token = token;
    this.kind = "sse";
    this.ctrl = new AbortController();
    this.session = "";
    this.opened = false;
    this.done = false;
    void this.run();
  }
  /** setToken changes the token the next POSTs carry (after a refresh). */
  setToken(token) {
    this.token = token;
  }
  auth() {
    return this.token ? { Authorization: "Bearer " + this.token } : {};
  }
  get isOpen() {
    return this.opened && !this.done;
  }
  async run() {
    let resp;
    try {
      resp = await this.fetchFn(this.url, {
        headers: { Accept: "text/event-stream", ...this.auth() },
        cache: "no-store",
        signal: this.ctrl.signal
      });
    } catch (cause) {
      this.finish({ code: 1006, reason: failure(cause), opened: false, cause });
      return;
    }
    if (!resp.ok || !resp.body) {
      const text = await resp.text().catch(() => "");
      this.finish({ code: 1006, reason: text.trim(), status: resp.status, opened: false });
      return;
    }
    const reader = resp.body.getReader();
    const decoder = new TextDecoder();
    const parser = new SSEParser((e) => this.event(e));
    try {
      for (; ; ) {
        const { value, done } = await reader.read();
        if (done || this.done) break;
        this.ev.heard();
        parser.feed(decoder.decode(value, { stream: true }));
      }
      if (this.done) await reader.cancel().catch(() => {
      });
      this.finish({ code: 1006, reason: "stream ended", opened: this.opened });
    } catch (cause) {
      this.finish({ code: 1006, reason: "stream failed: " + failure(cause), opened: this.opened, cause });
    }
  }
  event(e) {
    if (this.done) return;
    if (e.event === "session") {
      try {
        this.session = String(JSON.parse(e.data).session ?? "");
      } catch {
        this.session = "";
      }
      if (!this.session) {
        this.close(1006, "a session event without a session");
        return;
      }
      this.opened = true;
      this.ev.open();
      return;
    }
    if (e.event === "close") {
      let f = {};
      try {
        f = JSON.parse(e.data);
      } catch {
      }
      this.close(typeof f.code === "number" ? f.code : 1006, typeof f.content === "string" ? f.content : "");
      return;
    }
    this.ev.frame(e.data);
  }
  /** post sends frames (one POST, an array when more than one), waiting at most timeoutMs. */
  async post(frames, timeoutMs) {
    if (!this.isOpen) return { ok: false, retry: true, text: "not connected" };
    const u = new URL(this.url);
    u.searchParams.delete("last_event_id");
    u.searchParams.set("session", this.session);
    let resp;
    try {
      resp = await this.fetchFn(u.toString(), {
        method: "POST",
        headers: { "Content-Type": "application/json", ...this.auth() },
        body: JSON.stringify(frames.length === 1 ? frames[0] : frames),
        ...timeoutSignal(timeoutMs)
      });
    } catch (cause) {
      return { ok: false, retry: true, text: "cannot reach the server", cause };
    }
    if (resp.status === 202) {
      await resp.body?.cancel().catch(() => {
      });
      return { ok: true };
    }
    const text = (await resp.text().catch(() => "")).trim();
    let frame;
    try {
      const parsed = JSON.parse(text);
      if (parsed && typeof parsed === "object") frame = parsed;
    } catch {
    }
    const retry = resp.status === 404 || resp.status === 503;
    return { ok: false, retry, status: resp.status, text: frame?.content || text, frame };
  }
  close(code, reason) {
    if (this.done) return;
    this.finish({ code, reason, opened: this.opened });
    this.ctrl.abort();
  }
  finish(info) {
    if (this.done) return;
    this.done = true;
    this.ev.closed(info);
  }
};
function failure(e) {
  const inner = e?.cause;
  if (inner && typeof inner.code === "string") return inner.code;
  if (inner && typeof inner.message === "string") return inner.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
function timeoutSignal(ms) {
  const timeout = AbortSignal.timeout;
  return timeout ? { signal: timeout(ms) } : {};
}

// src/urls.ts
function base(url) {
  const loc = globalThis.location;
  return loc ? new URL(url, loc.href) : new URL(url);
}
function wsURL(url) {
  const u = base(url);
  if (u.protocol === "http:") u.protocol = "ws:";
  if (u.protocol === "https:") u.protocol = "wss:";
  return u;
}
function sseURL(url, sseUrl) {
  const u = base(sseUrl || url);
  if (u.protocol === "ws:") u.protocol = "http:";
  if (u.protocol === "wss:") u.protocol = "https:";
  if (!sseUrl) {
    if (/\/ws$/.test(u.pathname)) u.pathname = u.pathname.replace(/\/ws$/, "/sse");
    else if (!/\/sse$/.test(u.pathname)) u.pathname = u.pathname.replace(/\/?$/, "/sse");
  }
  return u;
}
function withQuery(u, params) {
  const out = new URL(u.toString());
  for (const [k, v] of Object.entries(params)) {
    if (v !== void 0 && v !== "") out.searchParams.set(k, v);
  }
  return out.toString();
}
function randomId(prefix) {
  const c = globalThis.crypto;
  const r = c?.randomUUID ? c.randomUUID().replace(/-/g, "").slice(0, 16) : Math.random().toString(36).slice(2, 14);
  return prefix + r;
}

// src/ws-link.ts
var OPEN = 1;
var WsLink = class {
  // why the client closed it, when the close event has no reason
  constructor(WS, url, ev, protocols) {
    this.ev = ev;
    this.kind = "ws";
    this.opened = false;
    this.done = false;
    this.closeReason = "";
    this.ws = protocols ? new WS(url, protocols) : new WS(url);
    this.ws.onopen = () => {
      this.opened = true;
      this.ev.open();
    };
    this.ws.onmessage = (e) => {
      this.ev.heard();
      if (typeof e.data === "string") this.ev.frame(e.data);
      else this.ev.frame(String(e.data));
    };
    this.ws.onerror = () => {
    };
    this.ws.onclose = (e) => this.finish({ code: e.code || 1006, reason: e.reason || this.closeReason, opened: this.opened });
  }
  get isOpen() {
    return this.ws.readyState === OPEN;
  }
  /** buffered is what the socket holds that the network has not taken yet. */
  get buffered() {
    return this.ws.bufferedAmount || 0;
  }
  /** send writes one frame; false when the socket is not open. */
  send(frame) {
    if (this.ws.readyState !== OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }
  close(code, reason) {
    this.closeReason = reason;
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.close();
    }
  }
  finish(info) {
    if (this.done) return;
    this.done = true;
    this.ev.closed(info);
  }
};

// src/client.ts
var DEFAULT_SEND_BUFFER = 256;
var DEFAULT_DEDUP_WINDOW = 1e4;
var DEFAULT_PING_MS = 25e3;
var DEFAULT_TIMEOUT_MS = 1e4;
var POST_BATCH_BYTES = 32 << 10;
var POST_BATCH_FRAMES = 100;
var TRANSPORTS = ["ws", "sse", "auto"];
var WS_HIGH_WATER = 1 << 20;
var WS_DRAIN_CHECK_MS = 50;
var WscClient = class {
  /**
   * @param url the hub's WebSocket endpoint, for example `ws://localhost:8080/ws`
   *   (in a browser it may be relative to the page: `/ws`).
   */
  constructor(url, options = {}) {
    this.url = url;
    this.em = new Emitter();
    this.current = "closed";
    this.link = null;
    this.wanted = false;
    // connect() was called and close() was not
    this.ended = false;
    // close() was called: sends are refused
    this.attempt = 0;
    // failed attempts since the last open
    this.dialGen = 0;
    // bumped by every dial and by close(): a stale async step stops
    this.useSSE = false;
    this.liveness = null;
    this.queue = [];
    this.posting = null;
    // the token of the latest attempt
    this.pending = null;
    if (typeof url !== "string" || url === "") throw new TypeError("wsc: a URL is required");
    wsURL(url);
    this.opts = { ...options };
    this.transport = options.transport ?? "auto";
    if (!TRANSPORTS.includes(this.transport)) {
      throw new TypeError(`wsc: transport must be 'ws', 'sse' or 'auto', not ${JSON.stringify(options.transport)}`);
    }
    this.bufferSize = positive("sendBuffer", options.sendBuffer, DEFAULT_SEND_BUFFER);
    this.seen = new SeenIds(positive("dedupWindow", options.dedupWindow, DEFAULT_DEDUP_WINDOW));
    this.pingMs = positive("pingMs", options.pingMs, DEFAULT_PING_MS);
    this.timeoutMs = positive("timeoutMs", options.timeoutMs, DEFAULT_TIMEOUT_MS);
    if (options.reconnect) {
      positive("reconnect.minMs", options.reconnect.minMs, 1);
      positive("reconnect.maxMs", options.reconnect.maxMs, 1);
    }
    this.WS = options.WebSocket ?? globalThis.WebSocket;
    this.fetchFn = options.fetch ?? (typeof fetch === "function" ? fetch.bind(globalThis) : void 0);
    if (this.transport === "ws" && !this.WS) {
      throw new TypeError("wsc: no WebSocket class here: pass one, new WscClient(url, { WebSocket }) (the ws package in Node < 22)");
    }
    if (this.transport === "sse" && !this.fetchFn) throw new TypeError("wsc: SSE needs fetch: pass one in the options");
    if (this.transport === "auto" && !this.WS && !this.fetchFn) throw new TypeError("wsc: neither WebSocket nor fetch is available");
    this.connId = options.connId || randomId("c-");
    this.ownConnId = !options.connId;
    this.resumeId = options.lastEventId ?? "";
    this.autoAck = options.autoAck ?? true;
  }
  /** The connection's state. Before connect() and after close() it is 'closed'. */
  get state() {
    return this.current;
  }
  /** The id of the last message received: where a reconnect resumes. */
  get lastEventId() {
    return this.resumeId;
  }
  /** The transport of the live connection, or null. */
  get connectedOver() {
    return this.link && this.link.isOpen ? this.link.kind : null;
  }
  /** Frames waiting in the send buffer. */
  get buffered() {
    return this.queue.length;
  }
  /** on adds a handler; it returns a function that removes it. */
  on(event, fn) {
    return this.em.on(event, fn);
  }
  off(event, fn) {
    this.em.off(event, fn);
  }
  /**
   * connect opens the connection and keeps it open, reconnecting after every
   * loss. The promise resolves when the connection is open, and rejects with a
   * final WscError: HTTP 401 or 403, a close code that says not to reconnect,
   * close() before opening, or any failure when reconnect is false.
   */
  connect() {
    if (this.current === "open") return Promise.resolve();
    if (this.pending) return this.pending.promise;
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => {
    });
    this.pending = { promise, resolve, reject };
    if (this.wanted) return promise;
    this.wanted = true;
    this.ended = false;
    this.attempt = 0;
    this.useSSE = false;
    this.setState("connecting");
    void this.dial(false);
    return promise;
  }
  /** close ends the connection (1000) and stops reconnecting; the send buffer is dropped. */
  close() {
    this.ended = true;
    this.wanted = false;
    this.dialGen++;
    clearTimeout(this.timer);
    clearTimeout(this.drainTimer);
    this.drainTimer = void 0;
    this.dropLink(1e3, "client closed");
    clearTimeout(this.connectTimer);
    this.queue = [];
    const p = this.pending;
    this.pending = null;
    p?.reject(new WscError("closed", "closed before the connection opened", { final: true }));
    this.setState("closed");
  }
  /**
   * sendToUser sends msg to every connection of userId. A string is the
   * content of a text message. It returns the frame's msg_id, which an
   * error frame about it carries. While disconnected the frame waits in the
   * send buffer; a full buffer throws a WscError of kind 'buffer_full'.
   */
  sendToUser(userId, msg = {}) {
    nonEmpty("user id", userId);
    return this.sendFrame({ ...outgoing(msg), to: userId });
  }
  /** sendToTicket sends msg to the members of a ticket group but this user. */
  sendToTicket(ticketId, msg = {}) {
    nonEmpty("ticket id", ticketId);
    return this.sendFrame({ ...outgoing(msg), ticket_id: ticketId });
  }
  /** send sends a frame with its own routing (`to` or `ticket_id`). */
  send(frame) {
    if (!frame || typeof frame !== "object") throw new TypeError("wsc: a frame is an object");
    return this.sendFrame({ type: "text", ...frame });
  }
  /**
   * ack answers a message that required one: 'confirmed', or 'rejected'
   * (sent as 'failed', with error as the reason). An ack that cannot be sent
   * now is remembered and sent when the hub delivers the message again.
   */
  ack(id, status = "confirmed", error) {
    nonEmpty("message id", id);
    if (status !== "confirmed" && status !== "rejected" && status !== "failed") {
      throw new TypeError(`wsc: an ack is 'confirmed' or 'rejected', not ${JSON.stringify(status)}`);
    }
    const entry = this.seen.get(id);
    if (entry) entry.ack = status;
    this.sendAck(id, status, error);
  }
  // ---- connecting ----
  async dial(fallback) {
    const gen = ++this.dialGen;
    let token;
    try {
      token = typeof this.opts.token === "function" ? await this.opts.token() : this.opts.token;
    } catch (cause) {
      if (gen !== this.dialGen) return;
      this.report(new WscError("token", "the token function failed", { cause }));
      this.retry();
      return;
    }
    if (gen !== this.dialGen || !this.wanted) return;
    this.dialToken = token;
    const kind = this.pick(fallback);
    const query = this.query();
    let link;
    const ev = {
      open: () => this.opened(link),
      heard: () => {
        if (link === this.link) this.liveness?.heard();
      },
      frame: (text) => {
        if (link === this.link) this.frame(text);
      },
      closed: (info) => void this.lost(link, info, fallback)
    };
    link = kind === "ws" ? new WsLink(this.WS, withQuery(wsURL(this.url), query), ev, token ? ["wsc", "bearer." + token] : void 0) : new SseLink(this.fetchFn, withQuery(sseURL(this.url, this.opts.sseUrl), query), ev, token);
    this.link = link;
    clearTimeout(this.connectTimer);
    this.connectTimer = setTimeout(() => {
      if (link === this.link && !link.isOpen) link.close(1006, `no answer within ${this.timeoutMs} ms`);
    }, this.timeoutMs);
  }
  pick(fallback) {
    if (this.transport !== "auto") return this.transport;
    if (fallback || this.useSSE || !this.WS) return "sse";
    return "ws";
  }
  query() {
    const o = this.opts;
    return {
      ...o.params,
      user_id: o.userId,
      user_type: o.userType,
      role: o.role,
      ticket_id: o.tickets?.join(","),
      conn_id: this.connId,
      last_event_id: this.resumeId || void 0
    };
  }
  opened(link) {
    if (link !== this.link) return;
    clearTimeout(this.connectTimer);
    this.attempt = 0;
    if (link.kind === "sse" && this.transport === "auto" && this.WS) this.useSSE = true;
    this.startLiveness(link);
    this.setState("open");
    const p = this.pending;
    this.pending = null;
    p?.resolve();
    this.flush();
  }
  async lost(link, info, wasFallback) {
    if (link !== this.link) return;
    this.link = null;
    this.stopLiveness();
    if (!this.wanted) return;
    if (link.kind === "ws" && !info.opened && this.transport === "auto" && !wasFallback && this.fetchFn) {
      void this.dial(true);
      return;
    }
    let status = info.status;
    if (link.kind === "ws" && !info.opened && status === void 0) {
      const gen = this.dialGen;
      status = await this.probe();
      if (gen !== this.dialGen || !this.wanted || this.link) return;
    }
    const err = describe(wasFallback ? "ws+sse" : link.kind, info, status, this.ownConnId);
    if (err.final || this.opts.reconnect === false) {
      this.stop(err.final ? err : new WscError(err.kind, err.message.slice(5) + "; reconnect is off", { ...err, final: true }));
      return;
    }
    this.report(err);
    this.retry();
  }
  /** probe asks the WebSocket endpoint over plain HTTP why it refused. */
  async probe() {
    if (!this.fetchFn) return void 0;
    const u = wsURL(this.url);
    u.protocol = u.protocol === "wss:" ? "https:" : "http:";
    const token = this.dialToken;
    try {
      const resp = await this.fetchFn(withQuery(u, this.query()), {
        cache: "no-store",
        headers: token ? { Authorization: "Bearer " + token } : {},
        ...timeoutSignal(this.timeoutMs)
      });
      await resp.body?.cancel().catch(() => {
      });
      return resp.status;
    } catch {
      return void 0;
    }
  }
  retry() {
    if (!this.wanted) return;
    const delay = backoffDelay(this.attempt++, this.opts.reconnect || {});
    this.setState("reconnecting");
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.dial(false), delay);
  }
  stop(err) {
    this.wanted = false;
    this.dialGen++;
    clearTimeout(this.timer);
    this.report(err);
    this.setState("closed");
    const p = this.pending;
    this.pending = null;
    p?.reject(err);
  }
  dropLink(code, reason) {
    const link = this.link;
    this.link = null;
    this.stopLiveness();
    link?.close(code, reason);
  }
  /** abandon gives up an open link that failed, and reconnects. */
  abandon(link, code, err) {
    if (link !== this.link) return;
    this.dropLink(code, err.message);
    this.report(err);
    this.retry();
  }
  startLiveness(link) {
    this.stopLiveness();
    this.liveness = new Liveness(
      this.pingMs,
      this.timeoutMs,
      () => this.enqueue({ type: "ping" }, true),
      () => this.abandon(link, 3001, new WscError("transport", `no answer from the server within ${this.timeoutMs} ms of a ping`))
    );
    this.liveness.start();
  }
  stopLiveness() {
    this.liveness?.stop();
    this.liveness = null;
    clearTimeout(this.connectTimer);
  }
  // ---- receiving ----
  frame(text) {
    let f;
    try {
      f = JSON.parse(text);
    } catch (cause) {
      this.report(new WscError("protocol", "the server sent a frame that is not JSON", { cause }));
      return;
    }
    if (!f || typeof f !== "object" || Array.isArray(f)) {
      this.report(new WscError("protocol", "the server sent a frame that is not an object"));
      return;
    }
    const m = f;
    switch (m.type) {
      case "pong":
      case "session":
      case "close":
        return;
      case "refresh":
        void this.refreshToken();
        return;
      case "error":
        this.report(
          new WscError("server", String(m.content ?? "error " + m.code).replace(/^wsc: /, ""), {
            code: typeof m.code === "number" ? m.code : void 0,
            messageId: typeof m.message_id === "string" && m.message_id ? m.message_id : void 0
          })
        );
        return;
    }
    this.deliver(m);
  }
  deliver(m) {
    const id = typeof m.id === "string" ? m.id : "";
    let entry;
    if (id) {
      const seen = this.seen.get(id);
      if (seen) {
        if (m.require_ack && seen.ack) this.sendAck(id, seen.ack);
        return;
      }
      entry = this.seen.add(id);
      if (m.type !== "welcome") this.resumeId = id;
    }
    const { results, thrown } = this.em.emit("message", m);
    for (const cause of thrown) this.report(new WscError("handler", "a message handler threw", { cause, messageId: id || void 0 }));
    if (!m.require_ack || !id || !this.autoAck) return;
    const waits = results.filter(isThenable);
    const ackNow = () => {
      if (!entry?.ack) this.ack(id, "confirmed");
    };
    if (waits.length === 0) ackNow();
    else void Promise.allSettled(waits).then(ackNow);
  }
  /**
   * refreshToken answers the server's refresh frame (the connection's token
   * expired) with a new token from the token function. Without one the
   * server closes the connection (4001) when its grace period ends, and the
   * client reconnects, asking the function again.
   */
  async refreshToken() {
    const link = this.link;
    const source = this.opts.token;
    if (typeof source !== "function") {
      this.report(new WscError("token", "the server asks for a new token, and the token option is not a function that can give one"));
      return;
    }
    let token;
    try {
      token = await source();
    } catch (cause) {
      this.report(new WscError("token", "the token function failed", { cause }));
      return;
    }
    if (!link || link !== this.link) return;
    if (link.kind === "sse") link.setToken(token);
    this.enqueue({ type: "refresh", content: token }, true);
  }
  // ---- sending ----
  sendFrame(frame) {
    if (this.ended) throw new WscError("closed", "the client is closed", { final: true });
    if (!frame.msg_id) frame.msg_id = randomId("m-");
    this.enqueue(frame, false);
    return frame.msg_id;
  }
  sendAck(id, status, error) {
    const frame = { type: "ack", message_id: id, status: status === "confirmed" ? "confirmed" : "failed" };
    if (status !== "confirmed") frame.error = error || "rejected";
    this.enqueue(frame, true);
  }
  /**
   * enqueue hands frame to the open WebSocket, or queues it. Control frames
   * (acks, pings) are not kept while disconnected: the hub delivers an
   * unacked message again, and that asks for the ack again.
   */
  enqueue(frame, control) {
    const link = this.link;
    if (link && link.kind === "ws" && link.isOpen && this.queue.length === 0 && link.buffered < WS_HIGH_WATER && link.send(frame)) {
      return true;
    }
    const connected = !!link && link.isOpen;
    if (control && !connected) return false;
    if (this.queue.length >= this.bufferSize) {
      if (control) return false;
      throw new WscError("buffer_full", `the send buffer holds ${this.bufferSize} frames already`, {
        messageId: frame.msg_id
      });
    }
    this.queue.push(frame);
    this.flush();
    return true;
  }
  flush() {
    const link = this.link;
    if (!link || !link.isOpen) return;
    if (link.kind === "ws") {
      while (this.queue.length > 0 && link.buffered < WS_HIGH_WATER && link.send(this.queue[0])) this.queue.shift();
      if (this.queue.length > 0 && this.drainTimer === void 0) {
        this.drainTimer = setTimeout(() => {
          this.drainTimer = void 0;
          this.flush();
        }, WS_DRAIN_CHECK_MS);
      }
      return;
    }
    if (this.posting === link || this.queue.length === 0) return;
    const batch = takeBatch(this.queue);
    this.posting = link;
    void link.post(batch, this.timeoutMs).then((r) => {
      if (this.posting === link) this.posting = null;
      if (!r.ok) {
        if (r.retry) {
          if (!this.ended) this.queue.unshift(...batch);
          this.abandon(link, 1006, new WscError("transport", "an SSE POST failed: " + r.text, { status: r.status }));
        } else this.report(
          new WscError("send", `the server refused ${batch.length} frame(s) (HTTP ${r.status}): ${r.text}`, {
            status: r.status,
            code: typeof r.frame?.code === "number" ? r.frame.code : void 0,
            messageId: batch.length === 1 ? batch[0].msg_id : void 0
          })
        );
      }
      this.flush();
    });
  }
  // ---- reporting ----
  setState(s) {
    if (s === this.current) return;
    this.current = s;
    for (const cause of this.em.emit("state", s).thrown) {
      this.report(new WscError("handler", "a state handler threw", { cause }));
    }
  }
  report(e) {
    this.em.emit("error", e);
  }
};
function describe(kind, info, status, ownConnId) {
  if (status !== void 0 && FINAL_HTTP_STATUSES.has(status)) {
    return new WscError("refused", `the server refused the connection (HTTP ${status}${info.reason ? ": " + info.reason : ""})`, {
      status,
      final: true
    });
  }
  const name = CLOSE_NAMES[info.code] ?? "";
  const why = `${info.code}${name ? " " + name : ""}${info.reason ? ": " + info.reason : ""}`;
  if (info.opened || info.code !== 1006) {
    const final = FINAL_CLOSE_CODES.has(info.code) && !(info.code === 3e3 && ownConnId);
    return new WscError("close", `the connection closed (${why})${final ? "; not reconnecting" : ""}`, {
      code: info.code,
      reason: info.reason,
      final
    });
  }
  const over = { ws: "WebSocket", sse: "SSE", "ws+sse": "WebSocket or SSE" }[kind];
  return new WscError("transport", `cannot connect over ${over}${status ? ` (HTTP ${status})` : ""}${info.reason ? ": " + info.reason : ""}`, {
    code: info.code,
    status,
    cause: info.cause
  });
}
function takeBatch(queue) {
  let bytes = 0;
  let n = 0;
  while (n < queue.length && n < POST_BATCH_FRAMES) {
    bytes += JSON.stringify(queue[n]).length + 1;
    if (n > 0 && bytes > POST_BATCH_BYTES) break;
    n++;
  }
  return queue.splice(0, n);
}
function outgoing(msg) {
  if (typeof msg === "string") return { type: "text", content: msg };
  if (!msg || typeof msg !== "object") throw new TypeError("wsc: a message is an object or a string");
  return { type: "text", ...msg };
}
function nonEmpty(what, v) {
  if (typeof v !== "string" || v === "") throw new TypeError(`wsc: a ${what} must be a non-empty string`);
}
function positive(name, v, dflt) {
  if (v === void 0 || v === 0) return dflt;
  if (!Number.isInteger(v) || v < 0) throw new TypeError(`wsc: ${name} must be a positive integer, not ${v}`);
  return v;
}
function isThenable(v) {
  return !!v && typeof v.then === "function";
}
export {
  CLOSE_NAMES,
  FINAL_CLOSE_CODES,
  FINAL_HTTP_STATUSES,
  WscClient,
  WscError,
  backoffCap,
  backoffDelay
};
