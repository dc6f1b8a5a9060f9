/** One server-sent event. */
export interface SSEEvent {
    event: string;
    data: string;
    id: string;
}
export declare class SSEParser {
    private readonly onEvent;
    private buf;
    private data;
    private event;
    private id;
    constructor(onEvent: (e: SSEEvent) => void);
    /** feed takes the next piece of the stream, which may end anywhere. */
    feed(chunk: string): void;
    private line;
    private dispatch;
}
