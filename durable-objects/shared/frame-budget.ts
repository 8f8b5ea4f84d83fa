/**
 * Fair share on sockets: no client costs the server more than its share.
 * Before a frame is even parsed it takes from its socket's allowance
 * (SOCKET_FRAME_RATE); once parsed, from its author's allowance for that kind
 * of frame (FRAME_RATES, or MESSAGE_RATE for chat messages). Allowances live
 * in memory: a limit that restarts after hibernation is still a limit, and
 * keeping them costs no storage write per frame.
 */
import { FRAME_RATES, MESSAGE_RATE, SOCKET_FRAME_RATE } from "../../src/shared/limits";
import { CLOSE_CODES } from "../../src/shared/close-codes";
import type { ErrorFrame } from "../../src/shared/protocol";
import { RateBucket } from "../../src/shared/rate-bucket";
import { closeSocket, sendFrame } from "./sockets";

export type BudgetedFrame = keyof typeof FRAME_RATES | "send";

/** What to do with a frame, by its socket's allowance: read it; drop it (telling the sender the first time in a row); or close the socket. */
export type SocketVerdict = "take" | "drop-and-tell" | "drop" | "close";

/** A frame over its author's allowance: when it may go, and whether the sender was already told. */
export type FrameVerdict = { ok: true } | { ok: false; retryAfterMs: number; notify: boolean };

/** The answer to a frame over its allowance. */
export function tooManyFrames(retryAfterMs: number, type?: string): ErrorFrame {
  const what = type ? `"${type}" frames` : "frames";
  return { type: "error", code: "rate_limited", message: `Too many ${what} at once; this one was not read. Wait a moment.`, retryAfterMs };
}

interface SocketAllowance {
  bucket: RateBucket;
  /** Frames dropped since `windowStart` (a flood keeps winning a token now and then, so drops are counted over a window, not in a row). */
  dropped: number;
  windowStart: number;
}

export class FrameBudget {
  private readonly sockets = new WeakMap<WebSocket, SocketAllowance>();
  private readonly hellos = new WeakMap<WebSocket, { bucket: RateBucket; refusing: boolean }>();
  private readonly authors = new Map<string, { bucket: RateBucket; refusing: boolean }>();
  /** Authors whose socket was closed for flooding, and until when they may not reconnect. */
  private readonly cooling = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** Every frame, before it is read; `isStream` (asked once per socket) says whether it is a co-browse page's stream. */
  socketFrame(ws: WebSocket, isStream: (ws: WebSocket) => boolean = () => false): SocketVerdict {
    const now = this.now();
    let allowance = this.sockets.get(ws);
    if (!allowance) {
      const rate = isStream(ws) ? SOCKET_FRAME_RATE.stream : SOCKET_FRAME_RATE;
      const bucket = new RateBucket(rate.burst, 1000 * (rate.burst / rate.perSecond), now);
      this.sockets.set(ws, (allowance = { bucket, dropped: 0, windowStart: now }));
    }
    if (allowance.bucket.take(1, now)) return "take";
    if (now - allowance.windowStart > SOCKET_FRAME_RATE.dropWindowMs) {
      allowance.windowStart = now;
      allowance.dropped = 0;
    }
    allowance.dropped++;
    if (allowance.dropped >= SOCKET_FRAME_RATE.closeAfterDropped) return "close";
    return allowance.dropped === 1 ? "drop-and-tell" : "drop";
  }

  /** A parsed frame of `type` from `author` ("patron", "librarian:<id>"). */
  authorFrame(author: string, type: Exclude<BudgetedFrame, "hello">): FrameVerdict {
    const now = this.now();
    const key = `${author}|${type}`;
    let entry = this.authors.get(key);
    if (!entry) {
      const rate = type === "send" ? MESSAGE_RATE : FRAME_RATES[type];
      this.authors.set(key, (entry = { bucket: new RateBucket(rate.burst, rate.refillMs, now), refusing: false }));
    }
    return this.verdict(entry, now);
  }

  private verdict(entry: { bucket: RateBucket; refusing: boolean }, now: number): FrameVerdict {
    if (entry.bucket.take(1, now)) {
      entry.refusing = false;
      return { ok: true };
    }
    const notify = !entry.refusing;
    entry.refusing = true;
    return { ok: false, retryAfterMs: entry.bucket.waitMs(1, now), notify };
  }

  /** A `hello` on this socket (counted per socket: see FRAME_RATES.hello). */
  helloFrame(ws: WebSocket): FrameVerdict {
    const now = this.now();
    let entry = this.hellos.get(ws);
    if (!entry) this.hellos.set(ws, (entry = { bucket: new RateBucket(FRAME_RATES.hello.burst, FRAME_RATES.hello.refillMs, now), refusing: false }));
    return this.verdict(entry, now);
  }

  /** How long until a chat message from `author` may go (0: now), taking it if it may. Every refused message is answered: its client resends it. */
  messageWait(author: string): number {
    const verdict = this.authorFrame(author, "send");
    return verdict.ok ? 0 : Math.max(1, verdict.retryAfterMs);
  }

  /**
   * The socket-level check every object runs first, before it reads anything
   * of the frame or the socket (a flood is thousands of these): answers the
   * frames it drops (the first of a window), closes a flooding socket and
   * cools its author down. Returns whether the frame may be read.
   */
  admit(ws: WebSocket, authorOf: (ws: WebSocket) => string | null, isStream?: (ws: WebSocket) => boolean): boolean {
    // Frames still arriving on a socket we closed are not read at all.
    if (ws.readyState !== WebSocket.OPEN) return false;
    const verdict = this.socketFrame(ws, isStream);
    if (verdict === "take") return true;
    if (verdict === "drop-and-tell") sendFrame(ws, tooManyFrames(Math.ceil(1000 / SOCKET_FRAME_RATE.perSecond)));
    if (verdict === "close") {
      const author = authorOf(ws);
      if (author) this.coolDown(author);
      closeSocket(ws, CLOSE_CODES.policy, "too many frames");
    }
    return false;
  }

  /** The author flooded: refuse their new sockets for a while. */
  coolDown(author: string): void {
    this.cooling.set(author, this.now() + SOCKET_FRAME_RATE.cooldownMs);
  }

  /** Whether `author` is still cooling down after a flood (their new sockets are refused). */
  isCooling(author: string): boolean {
    const until = this.cooling.get(author);
    if (until === undefined) return false;
    if (this.now() < until) return true;
    this.cooling.delete(author);
    return false;
  }
}
