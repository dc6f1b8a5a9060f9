export { WscClient, type ClientEvents } from './client.js';
export { WscError, FINAL_CLOSE_CODES, FINAL_HTTP_STATUSES, CLOSE_NAMES, type ErrorKind, type ErrorDetails } from './errors.js';
export { backoffCap, backoffDelay } from './backoff.js';
export type { AckStatus, ClientOptions, ContentType, ControlType, Message, Outgoing, Priority, ReconnectOptions, State, Transport, WebSocketConstructor, WebSocketLike, } from './types.js';
