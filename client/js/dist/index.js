// @go-wsc/client: the browser and Node client of the go-wsc hub.
export { WscClient } from './client.js';
export { WscError, FINAL_CLOSE_CODES, FINAL_HTTP_STATUSES, CLOSE_NAMES } from './errors.js';
export { backoffCap, backoffDelay } from './backoff.js';
