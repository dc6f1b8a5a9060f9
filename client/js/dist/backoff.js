// Reconnection delays with full jitter: the n-th wait is uniform in
// [0, min(max, min·2^n)], so that clients dropped together by a restart come
// back spread out instead of in waves.
export const DEFAULT_MIN_MS = 500;
export const DEFAULT_MAX_MS = 30000;
/** The cap on the wait before attempt n (0-based). */
export function backoffCap(n, opts = {}) {
    const min = opts.minMs || DEFAULT_MIN_MS;
    const max = Math.max(opts.maxMs || DEFAULT_MAX_MS, min);
    // 2^n overflows to Infinity past n = 1023; min() keeps it at max.
    return Math.min(max, min * 2 ** Math.min(n, 64));
}
/** A random wait before attempt n, in [0, backoffCap(n)]. */
export function backoffDelay(n, opts = {}, random = Math.random) {
    return Math.floor(random() * backoffCap(n, opts));
}
