// Liveness of an open link. The client pings every pingMs (an SSE stream
// needs client activity or the server times it out; a browser's WebSocket
// cannot send protocol pings) and expects to hear something, the pong at
// least, within timeoutMs. A link that stays silent is dead even if its TCP
// connection looks open (a frozen server, a lost NAT mapping): the client drops
// it and reconnects instead of waiting on it forever.

export class Liveness {
  private ticker: ReturnType<typeof setInterval> | undefined;
  private deadline: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly pingMs: number,
    private readonly timeoutMs: number,
    /** ping sends a ping frame; false when it could not be sent (nothing then is awaited). */
    private readonly ping: () => boolean,
    private readonly dead: () => void,
  ) {}

  start(): void {
    this.stop();
    this.ticker = setInterval(() => {
      if (this.ping() && this.deadline === undefined) {
        this.deadline = setTimeout(() => {
          this.stop();
          this.dead();
        }, this.timeoutMs);
      }
    }, this.pingMs);
  }

  /** heard: something came from the server. */
  heard(): void {
    clearTimeout(this.deadline);
    this.deadline = undefined;
  }

  stop(): void {
    clearInterval(this.ticker);
    clearTimeout(this.deadline);
    this.ticker = undefined;
    this.deadline = undefined;
  }
}
