// The WebSocket link: one socket, one text frame per protocol frame.

import type { LinkClosed, LinkEvents } from './link.js';
import type { Message, WebSocketConstructor, WebSocketLike } from './types.js';

const OPEN = 1;

export class WsLink {
  readonly kind = 'ws' as const;
  private readonly ws: WebSocketLike;
  private opened = false;
  private done = false;
  private closeReason = ''; // why the client closed it, when the close event has no reason

  constructor(WS: WebSocketConstructor, url: string, private readonly ev: LinkEvents, protocols?: string[]) {
    this.ws = protocols ? new WS(url, protocols) : new WS(url);
    this.ws.onopen = () => {
      this.opened = true;
      this.ev.open();
    };
    this.ws.onmessage = (e: { data: unknown }) => {
      this.ev.heard();
      if (typeof e.data === 'string') this.ev.frame(e.data);
      else this.ev.frame(String(e.data)); // the hub sends text frames only
    };
    // A failed handshake or a lost connection fires error, then close: the
    // close event carries the code, so error adds nothing.
    this.ws.onerror = () => {};
    this.ws.onclose = (e: { code: number; reason: string }) => this.finish({ code: e.code || 1006, reason: e.reason || this.closeReason, opened: this.opened });
  }

  get isOpen(): boolean {
    return this.ws.readyState === OPEN;
  }

  /** buffered is what the socket holds that the network has not taken yet. */
  get buffered(): number {
    return this.ws.bufferedAmount || 0;
  }

  /** send writes one frame; false when the socket is not open. */
  send(frame: Message): boolean {
    if (this.ws.readyState !== OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  close(code: number, reason: string): void {
    this.closeReason = reason;
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.close(); // a code the implementation refuses: close without one
    }
  }

  private finish(info: LinkClosed): void {
    if (this.done) return;
    this.done = true;
    this.ev.closed(info);
  }
}
