// Errors the client reports: one class, told apart by `kind`.
/** The one error type of the package; `kind` says which failure it is. */
export class WscError extends Error {
    constructor(kind, message, details = {}) {
        super('wsc: ' + message);
        this.name = 'WscError';
        this.kind = kind;
        this.code = details.code;
        this.status = details.status;
        this.reason = details.reason;
        this.messageId = details.messageId;
        this.final = details.final ?? false;
        if (details.cause !== undefined)
            this.cause = details.cause;
    }
}
/** Close codes after which a client must not reconnect (PROTOCOL.md, Close and error codes). */
export const FINAL_CLOSE_CODES = new Set([1000, 1008, 3000]);
/** HTTP statuses that refuse a connection for good: no identity, or a refused origin. */
export const FINAL_HTTP_STATUSES = new Set([401, 403]);
/** Names of the close codes, for messages. */
export const CLOSE_NAMES = {
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
