// Errors the client reports: one class, told apart by `kind`.

/**
 * What went wrong:
 * - `server`: the server sent an error frame (`code` 4000, 4001, 4004 …; `messageId` the frame it refers to).
 * - `close`: the connection closed (`code`, `reason`); `final` when the code says not to reconnect.
 * - `refused`: the server refused the connection over HTTP (`status` 401, 403); always final.
 * - `transport`: the network failed (could not connect, stream ended); the client reconnects.
 * - `send`: the server refused frames posted over SSE (`status`, `code`).
 * - `buffer_full`: the send buffer holds `sendBuffer` frames already; the frame was not taken.
 * - `closed`: the client was closed with close().
 * - `token`: no new token when the server asked for one (the token option is a string, or its function failed).
 * - `handler`: a 'message' or 'state' handler threw (`cause`).
 * - `protocol`: the server sent something that is not a frame.
 */
export type ErrorKind =
  | 'server'
  | 'close'
  | 'refused'
  | 'transport'
  | 'send'
  | 'buffer_full'
  | 'closed'
  | 'token'
  | 'handler'
  | 'protocol';

/** Fields an error may carry besides its kind and text. */
export interface ErrorDetails {
  code?: number;
  status?: number;
  reason?: string;
  messageId?: string;
  final?: boolean;
  cause?: unknown;
}

/** The one error type of the package; `kind` says which failure it is. */
export class WscError extends Error {
  readonly kind: ErrorKind;
  /** A close code or an error frame's code (PROTOCOL.md). */
  readonly code?: number;
  /** An HTTP status. */
  readonly status?: number;
  /** A close frame's reason. */
  readonly reason?: string;
  /** The message an error frame refers to (its msg_id or id). */
  readonly messageId?: string;
  /** True when the client stopped for good because of it. */
  readonly final: boolean;

  constructor(kind: ErrorKind, message: string, details: ErrorDetails = {}) {
    super('wsc: ' + message);
    this.name = 'WscError';
    this.kind = kind;
    this.code = details.code;
    this.status = details.status;
    this.reason = details.reason;
    this.messageId = details.messageId;
    this.final = details.final ?? false;
    if (details.cause !== undefined) (this as { cause?: unknown }).cause = details.cause;
  }
}

/** Close codes after which a client must not reconnect (PROTOCOL.md, Close and error codes). */
export const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([1000, 1008, 3000]);

/** HTTP statuses that refuse a connection for good: no identity, or a refused origin. */
export const FINAL_HTTP_STATUSES: ReadonlySet<number> = new Set([401, 403]);

/** Names of the close codes, for messages. */
export const CLOSE_NAMES: Readonly<Record<number, string>> = {
  1000: 'normal',
  1001: 'going away',
  1006: 'connection lost',
  1007: 'invalid data',
  1008: 'policy violation',
  1009: 'message too big',
  3000: 'replaced',
  3001: 'idle timeout',
  3002: 'slow consumer',
  3003: 'rate limited',
  4001: 'token expired',
};
