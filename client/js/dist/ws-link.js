// The WebSocket link: one socket, one text frame per protocol frame.
const OPEN = 1;
export class WsLink {
    constructor(WS, url, ev, protocols) {
        this.ev = ev;
        this.kind = 'ws';
        this.opened = false;
        this.done = false;
        this.closeReason = ''; // why the client closed it, when the close event has no reason
        this.ws = protocols ? new WS(url, protocols) : new WS(url);
        this.ws.onopen = () => {
            this.opened = true;
            this.ev.open();
        };
        this.ws.onmessage = (e) => {
            this.ev.heard();
            if (typeof e.data === 'string')
                this.ev.frame(e.data);
            else
                this.ev.frame(String(e.data)); // the hub sends text frames only
        };
        // A failed handshake or a lost connection fires error, then close: the
        // close event carries the code, so error adds nothing.
        this.ws.onerror = () => { };
        this.ws.onclose = (e) => this.finish({ code: e.code || 1006, reason: e.reason || this.closeReason, opened: this.opened });
    }
    get isOpen() {
        return this.ws.readyState === OPEN;
    }
    /** buffered is what the socket holds that the network has not taken yet. */
    get buffered() {
        return this.ws.bufferedAmount || 0;
    }
    /** send writes one frame; false when the socket is not open. */
    send(frame) {
        if (this.ws.readyState !== OPEN)
            return false;
        this.ws.send(JSON.stringify(frame));
        return true;
    }
    close(code, reason) {
        this.closeReason = reason;
        try {
            this.ws.close(code, reason);
        }
        catch {
            this.ws.close(); // a code the implementation refuses: close without one
        }
    }
    finish(info) {
        if (this.done)
            return;
        this.done = true;
        this.ev.closed(info);
    }
}
