import { type Handler } from './emitter.js';
import { WscError } from './errors.js';
import type { AckStatus, ClientOptions, Message, Outgoing, State } from './types.js';
/** The events of a WscClient and the value each handler gets. */
export interface ClientEvents {
    /** A protocol message (not a control frame). A redelivered id reaches the handlers once. */
    message: Message;
    state: State;
    error: WscError;
}
export declare class WscClient {
    readonly url: string;
    private readonly em;
    private readonly opts;
    private readonly transport;
    private readonly bufferSize;
    private readonly WS;
    private readonly fetchFn;
    /** The conn_id this client registers every connection under. */
    readonly connId: string;
    private readonly ownConnId;
    private readonly seen;
    /**
     * Ack every require_ack message once the 'message' handlers ran (and the
     * promises they returned settled). It may be changed at any time.
     */
    autoAck: boolean;
    private current;
    private link;
    private wanted;
    private ended;
    private attempt;
    private dialGen;
    private useSSE;
    private timer;
    private drainTimer;
    private liveness;
    private connectTimer;
    private readonly pingMs;
    private readonly timeoutMs;
    private queue;
    private posting;
    private resumeId;
    private dialToken;
    private pending;
    /**
     * @param url the hub's WebSocket endpoint, for example `ws://localhost:8080/ws`
     *   (in a browser it may be relative to the page: `/ws`).
     */
    constructor(url: string, options?: ClientOptions);
    /** The connection's state. Before connect() and after close() it is 'closed'. */
    get state(): State;
    /** The id of the last message received: where a reconnect resumes. */
    get lastEventId(): string;
    /** The transport of the live connection, or null. */
    get connectedOver(): 'ws' | 'sse' | null;
    /** Frames waiting in the send buffer. */
    get buffered(): number;
    /** on adds a handler; it returns a function that removes it. */
    on<K extends keyof ClientEvents>(event: K, fn: Handler<ClientEvents[K]>): () => void;
    off<K extends keyof ClientEvents>(event: K, fn: Handler<ClientEvents[K]>): void;
    /**
     * connect opens the connection and keeps it open, reconnecting after every
     * loss. The promise resolves when the connection is open, and rejects with a
     * final WscError: HTTP 401 or 403, a close code that says not to reconnect,
     * close() before opening, or any failure when reconnect is false.
     */
    connect(): Promise<void>;
    /** close ends the connection (1000) and stops reconnecting; the send buffer is dropped. */
    close(): void;
    /**
     * sendToUser sends msg to every connection of userId. A string is the
     * content of a text message. It returns the frame's msg_id, which an
     * error frame about it carries. While disconnected the frame waits in the
     * send buffer; a full buffer throws a WscError of kind 'buffer_full'.
     */
    sendToUser(userId: string, msg?: Outgoing | string): string;
    /** sendToTicket sends msg to the members of a ticket group but this user. */
    sendToTicket(ticketId: string, msg?: Outgoing | string): string;
    /** send sends a frame with its own routing (`to` or `ticket_id`). */
    send(frame: Message): string;
    /**
     * ack answers a message that required one: 'confirmed', or 'rejected'
     * (sent as 'failed', with error as the reason). An ack that cannot be sent
     * now is remembered and sent when the hub delivers the message again.
     */
    ack(id: string, status?: AckStatus, error?: string): void;
    private dial;
    private pick;
    private query;
    private opened;
    private lost;
    /** probe asks the WebSocket endpoint over plain HTTP why it refused. */
    private probe;
    private retry;
    private stop;
    private dropLink;
    /** abandon gives up an open link that failed, and reconnects. */
    private abandon;
    private startLiveness;
    private stopLiveness;
    private frame;
    private deliver;
    /**
     * refreshToken answers the server's refresh frame (the connection's token
     * expired) with a new token from the token function. Without one the
     * server closes the connection (4001) when its grace period ends, and the
     * client reconnects, asking the function again.
     */
    private refreshToken;
    private sendFrame;
    private sendAck;
    /**
     * enqueue hands frame to the open WebSocket, or queues it. Control frames
     * (acks, pings) are not kept while disconnected: the hub delivers an
     * unacked message again, and that asks for the ack again.
     */
    private enqueue;
    private flush;
    private setState;
    private report;
}
