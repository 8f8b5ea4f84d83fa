/**
 * A WebSocket that comes back by itself: jittered exponential backoff after a
 * drop, a ping every TIMING.pingIntervalMs so the server can tell a dead socket
 * from a quiet one, and no retry when the server ended things on purpose
 * (session over, a policy refusal, or the librarian's sign-in ended).
 */
import { TIMING } from "../../shared/limits";
import { CLOSE_CODES } from "../../shared/close-codes";

export type SocketState = "connecting" | "open" | "reconnecting" | "closed";

export interface ReconnectingSocketOptions {
  url: string;
  /** Runs on every (re)connect, before anything else is sent. */
  onOpen: (send: (frame: unknown) => void) => void;
  onFrame: (frame: unknown) => void;
  /** `closeCode`: when closed for good, the server's reason (e.g. CLOSE_CODES.accessEnded: sign in again). */
  onState: (state: SocketState, closeCode?: number) => void;
  WebSocketImpl?: typeof WebSocket;
}

const MAX_BACKOFF_MS = 10_000;

export class ReconnectingSocket {
  private ws: WebSocket | null = null;
  private attempts = 0;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(private readonly opts: ReconnectingSocketOptions) {
    this.connect();
  }

  get isOpen(): boolean {
    return this.ws?.readyState === 1;
  }

  /** Sends now if open; returns false when the frame could not go (the caller decides whether to keep it). */
  send(frame: unknown): boolean {
    if (!this.isOpen) return false;
    this.ws!.send(typeof frame === "string" ? frame : JSON.stringify(frame));
    return true;
  }

  private connect(): void {
    if (this.stopped) return;
    const Impl = this.opts.WebSocketImpl ?? WebSocket;
    const ws = new Impl(this.opts.url);
    this.ws = ws;
    ws.onopen = () => {
      this.attempts = 0;
      this.opts.onOpen((frame) => ws.send(JSON.stringify(frame)));
      this.pingTimer = setInterval(() => {
        if (ws.readyState === 1) ws.send("ping");
      }, TIMING.pingIntervalMs);
    };
    ws.onmessage = (e) => {
      if (typeof e.data !== "string" || e.data === "pong") return;
      try {
        this.opts.onFrame(JSON.parse(e.data));
      } catch {
        // Not JSON: nothing we understand.
      }
    };
    ws.onclose = (e) => {
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.pingTimer = null;
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.stopped || e.code === CLOSE_CODES.sessionEnded || e.code === CLOSE_CODES.policy || e.code === CLOSE_CODES.accessEnded) {
        this.opts.onState("closed", e.code);
        return;
      }
      this.opts.onState("reconnecting");
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempts) * (0.5 + Math.random() / 2);
      this.attempts += 1;
      this.retryTimer = setTimeout(() => this.connect(), delay);
    };
  }

  close(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.ws?.close(CLOSE_CODES.normal, "closed by client");
    this.ws = null;
    this.opts.onState("closed");
  }
}

/** The socket URL for a path on the current site (or another origin, for the Qwidget). */
export function socketUrl(path: string, origin: string = location.origin): string {
  const u = new URL(path, origin);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  return u.toString();
}
