// Reconnection delays with full jitter: the n-th wait is uniform in
// [0, min(max, min·2^n)], so that clients dropped together by a restart come
// back spread out instead of in waves.

import type { ReconnectOptions } from './types.js';

export const DEFAULT_MIN_MS = 500;
export const DEFAULT_MAX_MS = 30_000;

/** The cap on the wait before attempt n (0-based). */
export function backoffCap(n: number, opts: ReconnectOptions = {}): number {
  const min = opts.minMs || DEFAULT_MIN_MS;
  const max = Math.max(opts.maxMs || DEFAULT_MAX_MS, min);
  // 2^n overflows to Infinity past n = 1023; min() keeps it at max.
  return Math.min(max, min * 2 ** Math.min(n, 64));
}

/** A random wait before attempt n, in [0, backoffCap(n)]. */
export function backoffDelay(n: number, opts: ReconnectOptions = {}, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCap(n, opts));
}
