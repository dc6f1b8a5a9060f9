/** How a link ended. */
export interface LinkClosed {
    /** A WebSocket close code, the code of an SSE close frame, or 1006 when the connection was lost. */
    code: number;
    reason: string;
    /** The HTTP status that refused the connection, when the link learned it. */
    status?: number;
    /** Whether the link had opened (registered with the hub) before it closed. */
    opened: boolean;
    /** The underlying failure, when there was one. */
    cause?: unknown;
}
/** What a link tells its client. */
export interface LinkEvents {
    open(): void;
    /** heard: bytes came from the server (a frame, or an SSE heartbeat comment). */
    heard(): void;
    frame(text: string): void;
    closed(info: LinkClosed): void;
}
