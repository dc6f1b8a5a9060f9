import type { AckStatus } from './types.js';
/** What the client remembers of a message it handled: the ack it gave, if any. */
export interface Seen {
    ack?: AckStatus;
}
export declare class SeenIds {
    private readonly limit;
    private readonly ids;
    constructor(limit: number);
    get(id: string): Seen | undefined;
    /** add remembers id (as new) and returns its entry. */
    add(id: string): Seen;
    get size(): number;
}
