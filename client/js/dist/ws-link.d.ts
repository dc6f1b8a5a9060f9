import type { LinkEvents } from './link.js';
import type { Message, WebSocketConstructor } from './types.js';
export declare class WsLink {
    private readonly ev;
    readonly kind: "ws";
    private readonly ws;
    private opened;
    private done;
    private closeReason;
    constructor(WS: WebSocketConstructor, url: string, ev: LinkEvents, protocols?: string[]);
    get isOpen(): boolean;
    /** buffered is what the socket holds that the network has not taken yet. */
    get buffered(): number;
    /** send writes one frame; false when the socket is not open. */
    send(frame: Message): boolean;
    close(code: number, reason: string): void;
    private finish;
}
