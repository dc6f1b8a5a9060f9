import type { ReconnectOptions } from './types.js';
export declare const DEFAULT_MIN_MS = 500;
export declare const DEFAULT_MAX_MS = 30000;
/** The cap on the wait before attempt n (0-based). */
export declare function backoffCap(n: number, opts?: ReconnectOptions): number;
/** A random wait before attempt n, in [0, backoffCap(n)]. */
export declare function backoffDelay(n: number, opts?: ReconnectOptions, random?: () => number): number;
