export declare class Liveness {
    private readonly pingMs;
    private readonly timeoutMs;
    /** ping sends a ping frame; false when it could not be sent (nothing then is awaited). */
    private readonly ping;
    private readonly dead;
    private ticker;
    private deadline;
    constructor(pingMs: number, timeoutMs: number, 
    /** ping sends a ping frame; false when it could not be sent (nothing then is awaited). */
    ping: () => boolean, dead: () => void);
    start(): void;
    /** heard: something came from the server. */
    heard(): void;
    stop(): void;
}
