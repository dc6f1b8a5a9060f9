import type { LinkEvents } from './link.js';
import type { Message } from './types.js';
/** The answer to a POST of frames. */
export type PostResult = {
    ok: true;
}
/** retry: the frames were not taken but may be on the next connection. */
 | {
    ok: false;
    retry: boolean;
    status?: number;
    text: string;
    frame?: Message;
    cause?: unknown;
};
export declare class SseLink {
    private readonly fetchFn;
    private readonly url;
    private readonly ev;
    private token?;
    readonly kind: "sse";
    private readonly ctrl;
    private session;
    private opened;
    private done;
    constructor(fetchFn: typeof fetch, url: string, ev: LinkEvents, token?: string | undefined);
    /** setToken changes the token the next POSTs carry (after a refresh). */
    setToken(token: string): void;
    private auth;
    get isOpen(): boolean;
    private run;
    private event;
    /** post sends frames (one POST, an array when more than one), waiting at most timeoutMs. */
    post(frames: Message[], timeoutMs: number): Promise<PostResult>;
    close(code: number, reason: string): void;
    private finish;
}
/** timeoutSignal is {signal} that aborts after ms, where AbortSignal.timeout exists. */
export declare function timeoutSignal(ms: number): {
    signal?: AbortSignal;
};
