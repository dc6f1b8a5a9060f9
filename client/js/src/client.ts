// WscClient: one logical connection to a go-wsc hub that survives the
// physical ones. It owns the current link, the reconnect timer, the bounded
// send buffer, the seen ids and the resume point; all of it runs on the one
// JavaScript thread, in the callbacks of sockets, fetches and timers.

import { backoffDelay } from './backoff.js';
import { SeenIds, type Seen } from './dedup.js';
import { Emitter, type Handler } from './emitter.js';
import { CLOSE_NAMES, FINAL_CLOSE_CODES, FINAL_HTTP_STATUSES, WscError } from './errors.js';
import type { LinkClosed, LinkEvents } from './link.js';
import { Liveness } from './liveness.js';
import { SseLink, timeoutSignal } from './sse-link.js';
import type { AckStatus, ClientOptions, Message, Outgoing, State, Transport, WebSocketConstructor } from './types.js';
import { randomId, sseURL, withQuery, wsURL } from './urls.js';
import { WsLink } from './ws-link.js';

/** The events of a WscClient and the value each handler gets. */
export interface ClientEvents {
  /** A protocol message (not a control frame). A redelivered id reaches the handlers once. */
  message: Message;
  state: State;
  error: WscError;
}

const DEFAULT_SEND_BUFFER = 256;
const DEFAULT_DEDUP_WINDOW = 10_000;
const DEFAULT_PING_MS = 25_000;
const DEFAULT_TIMEOUT_MS = 10_000;
// An SSE POST carries at most this much JSON: the server's default frame
// limit (64 KiB) bounds the whole body.
const POST_BATCH_BYTES = 32 << 10;
const POST_BATCH_FRAMES = 100;
const TRANSPORTS: readonly Transport[] = ['ws', 'sse', 'auto'];
// A WebSocket buffers whatever send() is given, without bound. Past this many
// bytes not yet on the network, frames wait in the (bounded) send buffer
// instead, and go out as the socket drains.
const WS_HIGH_WATER = 1 << 20;
const WS_DRAIN_CHECK_MS = 50;

type Link = WsLink | SseLink;

interface Pending {
  promise: Promise<void>;
  resolve(): void;
  reject(e: WscError): void;
}

export class WscClient {
  private readonly em = new Emitter<ClientEvents>();
  private readonly opts: ClientOptions;
  private readonly transport: Transport;
  private readonly bufferSize: number;
  private readonly WS: WebSocketConstructor | undefined;
  private readonly fetchFn: typeof fetch | undefined;
  /** The conn_id this client registers every connection under. */
  readonly connId: string;
  private readonly ownConnId: boolean; // made here, not given: no one else has it
  private readonly seen: SeenIds;

  /**
   * Ack every require_ack message once the 'message' handlers ran (and the
   * promises they returned settled). It may be changed at any time.
   */
  autoAck: boolean;

  private current: State = 'closed';
  private link: Link | null = null;
  private wanted = false; // connect() was called and close() was not
  private ended = false; // close() was called: sends are refused
  private attempt = 0; // failed attempts since the last open
  private dialGen = 0; // bumped by every dial and by close(): a stale async step stops
  private useSSE = false; // auto: the WebSocket failed where SSE worked
  private timer: ReturnType<typeof setTimeout> | undefined;
  private drainTimer: ReturnType<typeof setTimeout> | undefined;
  private liveness: Liveness | null = null;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly pingMs: number;
  private readonly timeoutMs: number;
  private queue: Message[] = [];
  private posting: Link | null = null; // the link whose POST is in flight
  private resumeId: string;
  private dialToken: string | undefined; // the token of the latest attempt
  private pending: Pending | null = null;

  /**
   * @param url the hub's WebSocket endpoint, for example `ws://localhost:8080/ws`
   *   (in a browser it may be relative to the page: `/ws`).
   */
  constructor(readonly url: string, options: ClientOptions = {}) {
    if (typeof url !== 'string' || url === '') throw new TypeError('wsc: a URL is required');
    wsURL(url); // throws a TypeError on a URL that does not parse
    this.opts = { ...options };
    this.transport = options.transport ?? 'auto';
    if (!TRANSPORTS.includes(this.transport)) {
      throw new TypeError(`wsc: transport must be 'ws', 'sse' or 'auto', not ${JSON.stringify(options.transport)}`);
    }
    this.bufferSize = positive('sendBuffer', options.sendBuffer, DEFAULT_SEND_BUFFER);
    this.seen = new SeenIds(positive('dedupWindow', options.dedupWindow, DEFAULT_DEDUP_WINDOW));
    this.pingMs = positive('pingMs', options.pingMs, DEFAULT_PING_MS);
    this.timeoutMs = positive('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS);
    if (options.reconnect) {
      positive('reconnect.minMs', options.reconnect.minMs, 1);
      positive('reconnect.maxMs', options.reconnect.maxMs, 1);
    }
    this.WS = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    this.fetchFn = options.fetch ?? (typeof fetch === 'function' ? fetch.bind(globalThis) : undefined);
    if (this.transport === 'ws' && !this.WS) {
      throw new TypeError('wsc: no WebSocket class here: pass one, new WscClient(url, { WebSocket }) (the ws package in Node < 22)');
    }
    if (this.transport === 'sse' && !this.fetchFn) throw new TypeError('wsc: SSE needs fetch: pass one in the options');
    if (this.transport === 'auto' && !this.WS && !this.fetchFn) throw new TypeError('wsc: neither WebSocket nor fetch is available');
    this.connId = options.connId || randomId('c-');
    this.ownConnId = !options.connId;
    this.resumeId = options.lastEventId ?? '';
    this.autoAck = options.autoAck ?? true;
  }

  /** The connection's state. Before connect() and after close() it is 'closed'. */
  get state(): State {
    return this.current;
  }

  /** The id of the last message received: where a reconnect resumes. */
  get lastEventId(): string {
    return this.resumeId;
  }

  /** The transport of the live connection, or null. */
  get connectedOver(): 'ws' | 'sse' | null {
    return this.link && this.link.isOpen ? this.link.kind : null;
  }

  /** Frames waiting in the send buffer. */
  get buffered(): number {
    return this.queue.length;
  }

  /** on adds a handler; it returns a function that removes it. */
  on<K extends keyof ClientEvents>(event: K, fn: Handler<ClientEvents[K]>): () => void {
    return this.em.on(event, fn);
  }

  off<K extends keyof ClientEvents>(event: K, fn: Handler<ClientEvents[K]>): void {
    this.em.off(event, fn);
  }

  /**
   * connect opens the connection and keeps it open, reconnecting after every
   * loss. The promise resolves when the connection is open, and rejects with a
   * final WscError: HTTP 401 or 403, a close code that says not to reconnect,
   * close() before opening, or any failure when reconnect is false.
   */
  connect(): Promise<void> {
    if (this.current === 'open') return Promise.resolve();
    if (this.pending) return this.pending.promise;
    let resolve!: () => void;
    let reject!: (e: WscError) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => {}); // a caller who did not wait for it is told through 'error'
    this.pending = { promise, resolve, reject };
    if (this.wanted) return promise; // reconnecting already: wait for the next open
    this.wanted = true;
    this.ended = false;
    this.attempt = 0;
    this.useSSE = false;
    this.setState('connecting');
    void this.dial(false);
    return promise;
  }

  /** close ends the connection (1000) and stops reconnecting; the send buffer is dropped. */
  close(): void {
    this.ended = true;
    this.wanted = false;
    this.dialGen++;
    clearTimeout(this.timer);
    clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
    this.dropLink(1000, 'client closed');
    clearTimeout(this.connectTimer);
    this.queue = [];
    const p = this.pending;
    this.pending = null;
    p?.reject(new WscError('closed', 'closed before the connection opened', { final: true }));
    this.setState('closed');
  }

  /**
   * sendToUser sends msg to every connection of userId. A string is the
   * content of a text message. It returns the frame's msg_id, which an
   * error frame about it carries. While disconnected the frame waits in the
   * send buffer; a full buffer throws a WscError of kind 'buffer_full'.
   */
  sendToUser(userId: string, msg: Outgoing | string = {}): string {
    nonEmpty('user id', userId);
    return this.sendFrame({ ...outgoing(msg), to: userId });
  }

  /** sendToTicket sends msg to the members of a ticket group but this user. */
  sendToTicket(ticketId: string, msg: Outgoing | string = {}): string {
    nonEmpty('ticket id', ticketId);
    return this.sendFrame({ ...outgoing(msg), ticket_id: ticketId });
  }

  /** send sends a frame with its own routing (`to` or `ticket_id`). */
  send(frame: Message): string {
    if (!frame || typeof frame !== 'object') throw new TypeError('wsc: a frame is an object');
    return this.sendFrame({ type: 'text', ...frame });
  }

  /**
   * ack answers a message that required one: 'confirmed', or 'rejected'
   * (sent as 'failed', with error as the reason). An ack that cannot be sent
   * now is remembered and sent when the hub delivers the message again.
   */
  ack(id: string, status: AckStatus = 'confirmed', error?: string): void {
    nonEmpty('message id', id);
    if (status !== 'confirmed' && status !== 'rejected' && status !== 'failed') {
      throw new TypeError(`wsc: an ack is 'confirmed' or 'rejected', not ${JSON.stringify(status)}`);
    }
    const entry = this.seen.get(id);
    if (entry) entry.ack = status;
    this.sendAck(id, status, error);
  }

  // ---- connecting ----

  private async dial(fallback: boolean): Promise<void> {
    const gen = ++this.dialGen;
    let token: string | undefined;
    try {
      token = typeof this.opts.token === 'function' ? await this.opts.token() : this.opts.token;
    } catch (cause) {
      if (gen !== this.dialGen) return;
      this.report(new WscError('token', 'the token function failed', { cause }));
      this.retry();
      return;
    }
    if (gen !== this.dialGen || !this.wanted) return;
    this.dialToken = token;
    const kind = this.pick(fallback);
    const query = this.query();
    let link: Link;
    const ev: LinkEvents = {
      open: () => this.opened(link),
      heard: () => {
        if (link === this.link) this.liveness?.heard();
      },
      frame: (text) => {
        if (link === this.link) this.frame(text);
      },
      closed: (info) => void this.lost(link, info, fallback),
    };
    link =
      kind === 'ws'
        ? new WsLink(this.WS!, withQuery(wsURL(this.url), query), ev, token ? ['wsc', 'bearer.' + token] : undefined)
        : new SseLink(this.fetchFn!, withQuery(sseURL(this.url, this.opts.sseUrl), query), ev, token);
    this.link = link;
    // A handshake that hangs (a frozen server still accepts TCP) is given up.
    clearTimeout(this.connectTimer);
    this.connectTimer = setTimeout(() => {
      if (link === this.link && !link.isOpen) link.close(1006, `no answer within ${this.timeoutMs} ms`);
    }, this.timeoutMs);
  }

  private pick(fallback: boolean): 'ws' | 'sse' {
    if (this.transport !== 'auto') return this.transport;
    if (fallback || this.useSSE || !this.WS) return 'sse';
    return 'ws';
  }

  private query(): Record<string, string | undefined> {
    const o = this.opts;
    return {
      ...o.params,
      user_id: o.userId,
      user_type: o.userType,
      role: o.role,
      ticket_id: o.tickets?.join(','),
      conn_id: this.connId,
      last_event_id: this.resumeId || undefined,
    };
  }

  private opened(link: Link): void {
    if (link !== this.link) return;
    clearTimeout(this.connectTimer);
    this.attempt = 0;
    if (link.kind === 'sse' && this.transport === 'auto' && this.WS) this.useSSE = true;
    this.startLiveness(link);
    this.setState('open');
    const p = this.pending;
    this.pending = null;
    p?.resolve();
    this.flush();
  }

  private async lost(link: Link, info: LinkClosed, wasFallback: boolean): Promise<void> {
    if (link !== this.link) return;
    this.link = null;
    this.stopLiveness();
    if (!this.wanted) return;
    // auto: a WebSocket that never opened may be blocked on the way; SSE
    // may pass, and its answer shows the HTTP status a refusal had.
    if (link.kind === 'ws' && !info.opened && this.transport === 'auto' && !wasFallback && this.fetchFn) {
      void this.dial(true);
      return;
    }
    let status = info.status;
    if (link.kind === 'ws' && !info.opened && status === undefined) {
      // A browser hides why a handshake failed; a plain GET shows it.
      const gen = this.dialGen;
      status = await this.probe();
      if (gen !== this.dialGen || !this.wanted || this.link) return;
    }
    const err = describe(wasFallback ? 'ws+sse' : link.kind, info, status, this.ownConnId);
    if (err.final || this.opts.reconnect === false) {
      this.stop(err.final ? err : new WscError(err.kind, err.message.slice(5) + '; reconnect is off', { ...err, final: true }));
      return;
    }
    this.report(err);
    this.retry();
  }

  /** probe asks the WebSocket endpoint over plain HTTP why it refused. */
  private async probe(): Promise<number | undefined> {
    if (!this.fetchFn) return undefined;
    const u = wsURL(this.url);
    u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
    const token = this.dialToken;
    try {
      const resp = await this.fetchFn(withQuery(u, this.query()), {
        cache: 'no-store',
        headers: token ? { Authorization: 'Bearer ' + token } : {},
        ...timeoutSignal(this.timeoutMs),
      });
      await resp.body?.cancel().catch(() => {});
      return resp.status;
    } catch {
      return undefined; // unreachable: an ordinary reason to retry
    }
  }

  private retry(): void {
    if (!this.wanted) return;
    const delay = backoffDelay(this.attempt++, this.opts.reconnect || {});
    this.setState('reconnecting');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.dial(false), delay);
  }

  private stop(err: WscError): void {
    this.wanted = false;
    this.dialGen++;
    clearTimeout(this.timer);
    this.report(err);
    this.setState('closed');
    const p = this.pending;
    this.pending = null;
    p?.reject(err);
  }

  private dropLink(code: number, reason: string): void {
    const link = this.link;
    this.link = null;
    this.stopLiveness();
    link?.close(code, reason);
  }

  /** abandon gives up an open link that failed, and reconnects. */
  private abandon(link: Link, code: number, err: WscError): void {
    if (link !== this.link) return;
    this.dropLink(code, err.message);
    this.report(err);
    this.retry();
  }

  private startLiveness(link: Link): void {
    this.stopLiveness();
    this.liveness = new Liveness(
      this.pingMs,
      this.timeoutMs,
      () => this.enqueue({ type: 'ping' }, true),
      () => this.abandon(link, 3001, new WscError('transport', `no answer from the server within ${this.timeoutMs} ms of a ping`)),
    );
    this.liveness.start();
  }

  private stopLiveness(): void {
    this.liveness?.stop();
    this.liveness = null;
    clearTimeout(this.connectTimer);
  }

  // ---- receiving ----

  private frame(text: string): void {
    let f: unknown;
    try {
      f = JSON.parse(text);
    } catch (cause) {
      this.report(new WscError('protocol', 'the server sent a frame that is not JSON', { cause }));
      return;
    }
    if (!f || typeof f !== 'object' || Array.isArray(f)) {
      this.report(new WscError('protocol', 'the server sent a frame that is not an object'));
      return;
    }
    const m = f as Message;
    switch (m.type) {
      case 'pong':
      case 'session':
      case 'close':
        return;
      case 'refresh':
        void this.refreshToken();
        return;
      case 'error':
        this.report(
          new WscError('server', String(m.content ?? 'error ' + m.code).replace(/^wsc: /, ''), {
            code: typeof m.code === 'number' ? m.code : undefined,
            messageId: typeof m.message_id === 'string' && m.message_id ? m.message_id : undefined,
          }),
        );
        return;
    }
    this.deliver(m);
  }

  private deliver(m: Message): void {
    const id = typeof m.id === 'string' ? m.id : '';
    let entry: Seen | undefined;
    if (id) {
      const seen = this.seen.get(id);
      if (seen) {
        // A redelivery: the handlers had it. If it was acked, that ack was
        // lost on the way: send it again.
        if (m.require_ack && seen.ack) this.sendAck(id, seen.ack);
        return;
      }
      entry = this.seen.add(id);
      if (m.type !== 'welcome') this.resumeId = id;
    }
    const { results, thrown } = this.em.emit('message', m);
    for (const cause of thrown) this.report(new WscError('handler', 'a message handler threw', { cause, messageId: id || undefined }));
    if (!m.require_ack || !id || !this.autoAck) return;
    const waits = results.filter(isThenable);
    const ackNow = () => {
      if (!entry?.ack) this.ack(id, 'confirmed');
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
  private async refreshToken(): Promise<void> {
    const link = this.link;
    const source = this.opts.token;
    if (typeof source !== 'function') {
      this.report(new WscError('token', 'the server asks for a new token, and the token option is not a function that can give one'));
      return;
    }
    let token: string;
    try {
      token = await source();
    } catch (cause) {
      this.report(new WscError('token', 'the token function failed', { cause }));
      return;
    }
    if (!link || link !== this.link) return; // that connection is gone: the next one asks again
    if (link.kind === 'sse') link.setToken(token); // the POST itself is authenticated
    this.enqueue({ type: 'refresh', content: token }, true);
  }

  // ---- sending ----

  private sendFrame(frame: Message): string {
    if (this.ended) throw new WscError('closed', 'the client is closed', { final: true });
    if (!frame.msg_id) frame.msg_id = randomId('m-');
    this.enqueue(frame, false);
    return frame.msg_id;
  }

  private sendAck(id: string, status: AckStatus, error?: string): void {
    const frame: Message = { type: 'ack', message_id: id, status: status === 'confirmed' ? 'confirmed' : 'failed' };
    if (status !== 'confirmed') frame.error = error || 'rejected';
    this.enqueue(frame, true);
  }

  /**
   * enqueue hands frame to the open WebSocket, or queues it. Control frames
   * (acks, pings) are not kept while disconnected: the hub delivers an
   * unacked message again, and that asks for the ack again.
   */
  private enqueue(frame: Message, control: boolean): boolean {
    const link = this.link;
    if (link && link.kind === 'ws' && link.isOpen && this.queue.length === 0 && link.buffered < WS_HIGH_WATER && link.send(frame)) {
      return true;
    }
    const connected = !!link && link.isOpen;
    if (control && !connected) return false;
    if (this.queue.length >= this.bufferSize) {
      if (control) return false;
      throw new WscError('buffer_full', `the send buffer holds ${this.bufferSize} frames already`, {
        messageId: frame.msg_id,
      });
    }
    this.queue.push(frame);
    this.flush();
    return true;
  }

  private flush(): void {
    const link = this.link;
    if (!link || !link.isOpen) return;
    if (link.kind === 'ws') {
      while (this.queue.length > 0 && link.buffered < WS_HIGH_WATER && link.send(this.queue[0])) this.queue.shift();
      // The socket is backed up: look again once it had time to drain (a
      // WebSocket has no event for that).
      if (this.queue.length > 0 && this.drainTimer === undefined) {
        this.drainTimer = setTimeout(() => {
          this.drainTimer = undefined;
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
          // Not taken: first in line again, on this link's successor. The
          // session is gone (the stream is ending) or the server did not
          // answer in time: the link is given up.
          if (!this.ended) this.queue.unshift(...batch);
          this.abandon(link, 1006, new WscError('transport', 'an SSE POST failed: ' + r.text, { status: r.status }));
        } else this.report(
          new WscError('send', `the server refused ${batch.length} frame(s) (HTTP ${r.status}): ${r.text}`, {
            status: r.status,
            code: typeof r.frame?.code === 'number' ? r.frame.code : undefined,
            messageId: batch.length === 1 ? batch[0].msg_id : undefined,
          }),
        );
      }
      this.flush();
    });
  }

  // ---- reporting ----

  private setState(s: State): void {
    if (s === this.current) return;
    this.current = s;
    for (const cause of this.em.emit('state', s).thrown) {
      this.report(new WscError('handler', 'a state handler threw', { cause }));
    }
  }

  private report(e: WscError): void {
    this.em.emit('error', e); // what an error handler throws goes nowhere
  }
}

// ---- helpers ----

function describe(kind: 'ws' | 'sse' | 'ws+sse', info: LinkClosed, status: number | undefined, ownConnId: boolean): WscError {
  if (status !== undefined && FINAL_HTTP_STATUSES.has(status)) {
    return new WscError('refused', `the server refused the connection (HTTP ${status}${info.reason ? ': ' + info.reason : ''})`, {
      status,
      final: true,
    });
  }
  const name = CLOSE_NAMES[info.code] ?? '';
  const why = `${info.code}${name ? ' ' + name : ''}${info.reason ? ': ' + info.reason : ''}`;
  if (info.opened || info.code !== 1006) {
    // 3000 (replaced) is final when the application chose the conn_id: another
    // connection took it over on purpose. The client's own random conn_id is
    // known to nobody else, so a 3000 can only come from one of its own
    // abandoned attempts registering late (a request still queued on a slow
    // server): reconnect, which replaces that one in turn.
    const final = FINAL_CLOSE_CODES.has(info.code) && !(info.code === 3000 && ownConnId);
    return new WscError('close', `the connection closed (${why})${final ? '; not reconnecting' : ''}`, {
      code: info.code,
      reason: info.reason,
      final,
    });
  }
  const over = { ws: 'WebSocket', sse: 'SSE', 'ws+sse': 'WebSocket or SSE' }[kind];
  return new WscError('transport', `cannot connect over ${over}${status ? ` (HTTP ${status})` : ''}${info.reason ? ': ' + info.reason : ''}`, {
    code: info.code,
    status,
    cause: info.cause,
  });
}

function takeBatch(queue: Message[]): Message[] {
  let bytes = 0;
  let n = 0;
  while (n < queue.length && n < POST_BATCH_FRAMES) {
    bytes += JSON.stringify(queue[n]).length + 1;
    if (n > 0 && bytes > POST_BATCH_BYTES) break;
    n++;
  }
  return queue.splice(0, n);
}

function outgoing(msg: Outgoing | string): Message {
  if (typeof msg === 'string') return { type: 'text', content: msg };
  if (!msg || typeof msg !== 'object') throw new TypeError('wsc: a message is an object or a string');
  return { type: 'text', ...msg };
}

function nonEmpty(what: string, v: unknown): void {
  if (typeof v !== 'string' || v === '') throw new TypeError(`wsc: a ${what} must be a non-empty string`);
}

function positive(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined || v === 0) return dflt;
  if (!Number.isInteger(v) || v < 0) throw new TypeError(`wsc: ${name} must be a positive integer, not ${v}`);
  return v;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return !!v && typeof (v as { then?: unknown }).then === 'function';
}
