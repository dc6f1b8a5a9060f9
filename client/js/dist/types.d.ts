/** Content types a message may carry (PROTOCOL.md, the message frame). */
export type ContentType = 'text' | 'image' | 'file' | 'audio' | 'video' | 'system' | 'notice' | 'event';
/** Control frame types. */
export type ControlType = 'ack' | 'ping' | 'pong' | 'welcome' | 'error' | 'close' | 'session';
/** Message priority. */
export type Priority = 'low' | 'normal' | 'high' | 'urgent' | 'critical';
/**
 * One protocol frame, as PROTOCOL.md defines it. The hub sets `id`, `from`,
 * `create_at`, `seq_no`, `status` and `require_ack`; a sender sets the rest.
 */
export interface Message {
    id?: string;
    type?: ContentType | ControlType | string;
    from?: string;
    to?: string;
    ticket_id?: string;
    content?: string;
    data?: Record<string, unknown>;
    create_at?: string;
    msg_id?: string;
    seq_no?: number;
    priority?: Priority;
    reply_to_msg_id?: string;
    status?: string;
    require_ack?: boolean;
    /** ack frames: the id being acknowledged. */
    message_id?: string;
    /** error and close frames. */
    code?: number;
    /** ack frames with status failed. */
    error?: string;
}
/** What a sender writes: the routing key is given by the method. */
export type Outgoing = Omit<Message, 'to' | 'ticket_id' | 'id' | 'from'>;
/** The connection's state, as the 'state' event reports it. */
export type State = 'connecting' | 'open' | 'reconnecting' | 'closed';
/** Which transport to use: 'auto' tries WebSocket and falls back to SSE. */
export type Transport = 'ws' | 'sse' | 'auto';
/** An ack's answer; 'rejected' goes on the wire as 'failed'. */
export type AckStatus = 'confirmed' | 'rejected' | 'failed';
/**
 * The part of the WebSocket class the client uses: the browser's, or the `ws`
 * package's. The handler properties are only ever set by the client, so any
 * handler type fits (each implementation types its events its own way).
 */
export interface WebSocketLike {
    readonly readyState: number;
    /** Bytes handed to send() and not yet written to the network. */
    readonly bufferedAmount: number;
    onopen: unknown;
    onmessage: unknown;
    onclose: unknown;
    onerror: unknown;
    send(data: string): void;
    close(code?: number, reason?: string): void;
}
/** A WebSocket constructor: `globalThis.WebSocket` or `import WebSocket from 'ws'`. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;
/** Reconnection backoff: each wait is a random time between 0 and min(maxMs, minMs·2^attempt). */
export interface ReconnectOptions {
    /** First cap on the wait. Zero or absent: 500 ms. */
    minMs?: number;
    /** Largest cap on the wait. Zero or absent: 30 000 ms. */
    maxMs?: number;
}
/**
 * Options of a WscClient. Every field is optional; an absent field takes the
 * default its comment states.
 */
export interface ClientOptions {
    /** Development identity: `user_id` in the query string (the server takes it with -dev-identity). */
    userId?: string;
    /** `user_type` in the query string (development identity). */
    userType?: string;
    /** `role` in the query string (development identity). */
    role?: string;
    /** Tickets joined at registration (`ticket_id`, comma-separated). */
    tickets?: string[];
    /**
     * A connection id: a new connection with the same id replaces the old one
     * (closed with 3000, which then stops this client). Absent: a random id per
     * client, so that a reconnect replaces this client's own stale connection
     * and no other; a 3000 then can only come from one of its own late
     * attempts, and the client reconnects.
     */
    connId?: string;
    /**
     * A token (JWT), or a function that returns one, asked before every
     * connection attempt and when the server asks for a new one (a `refresh`
     * frame). It goes in a `bearer.<token>` WebSocket subprotocol (beside `wsc`)
     * and in the `Authorization: Bearer` header of SSE requests, never in the URL.
     */
    token?: string | (() => string | Promise<string>);
    /** More query parameters, sent on every connection. */
    params?: Record<string, string>;
    /** Absent: 'auto'. */
    transport?: Transport;
    /** Ack every require_ack message once the 'message' handlers ran. Absent: true. */
    autoAck?: boolean;
    /** Reconnect with full jitter; false turns reconnection off. Absent: 500 ms to 30 s. */
    reconnect?: ReconnectOptions | false;
    /** Frames kept while disconnected (or waiting for an SSE POST). Absent or zero: 256. */
    sendBuffer?: number;
    /** How many message ids are remembered for de-duplication. Absent or zero: 10 000. */
    dedupWindow?: number;
    /** Resume after this id on the first connection (for example one kept across a page reload). */
    lastEventId?: string;
    /** The SSE endpoint. Absent: the WebSocket URL with http(s) and its last path segment `ws` → `sse`. */
    sseUrl?: string;
    /**
     * Interval of the `ping` frames the client sends on an open connection (they
     * keep an SSE stream from timing out, and show whether the server answers).
     * Absent or zero: 25 000 ms.
     */
    pingMs?: number;
    /**
     * How long the client waits for a connection to open, and for an answer
     * after a ping, before it gives the connection up and reconnects. Absent or
     * zero: 10 000 ms.
     */
    timeoutMs?: number;
    /** The WebSocket class. Absent: `globalThis.WebSocket` (browsers, Node ≥ 22). */
    WebSocket?: WebSocketConstructor;
    /** The fetch function (SSE stream and POSTs). Absent: `globalThis.fetch`. */
    fetch?: typeof fetch;
}
