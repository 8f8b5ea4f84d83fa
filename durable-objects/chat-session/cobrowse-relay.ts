/**
 * The co-browse stream. A page the patron agreed to share opens a socket of
 * its own (channel "cobrowse"); its events are checked (size, rate, and the
 * stream guard that refuses unmasked typed values) and relayed to the chat
 * sockets of the one librarian serving the chat. The stream is never stored:
 * only the consent state and the "co-browsing started/ended" lines are.
 */
import { newNodeKinds, streamProblem, type NodeKinds } from "../../src/cobrowse/stream-guard";
import { CLOSE_CODES } from "../../src/shared/close-codes";
import { COBROWSE_LIMITS } from "../../src/shared/cobrowse-limits";
import { cobrowseClientMessageSchema, parseFrame, type CobrowseServerMessage, type PageEvent } from "../../src/shared/protocol";
import { RateBucket } from "../../src/shared/rate-bucket";
import { webUrl } from "../../src/shared/web-address";
import { closeSocket } from "../shared/sockets";
import { pauseSharing, sharingStoppedByPage, startSharing } from "./rules/cobrowse";
import { tooManyFrames, type FrameBudget } from "../shared/frame-budget";
import { assertNever, type SessionCore } from "./session-core";
import type { SessionSocket } from "./sockets";

/** Per sharing page: its rate limits and what the stream guard knows of its fields (memory only, like the stream). */
interface StreamLimits {
  frames: RateBucket;
  bytes: RateBucket;
  kinds: NodeKinds;
}

export class CobrowseRelay {
  private readonly streams = new WeakMap<WebSocket, StreamLimits>();

  constructor(
    private readonly core: SessionCore,
    private readonly budget: FrameBudget,
    private readonly patronTokenValid: (token: string) => Promise<boolean>,
  ) {}

  /** A frame on a sharing page's stream socket. */
  async onFrame(ws: WebSocket, att: SessionSocket, raw: string | ArrayBuffer): Promise<void> {
    const sockets = this.core.sockets;
    const parsed = parseFrame(cobrowseClientMessageSchema, raw, COBROWSE_LIMITS.frameBytes);
    if (!parsed.ok) return sockets.sendStream(ws, parsed.error);
    const msg = parsed.value;
    // Page events have their own rates (below); hello is counted per socket; the other control frames, once the page said hello, per patron.
    if (msg.type === "hello" || (msg.type !== "events" && att.authed)) {
      const allowed = msg.type === "hello" ? this.budget.helloFrame(ws) : this.budget.authorFrame("patron", msg.type);
      if (!allowed.ok) return allowed.notify ? sockets.sendStream(ws, tooManyFrames(allowed.retryAfterMs, msg.type)) : undefined;
    }
    if (msg.type === "hello") {
      if (!(await this.patronTokenValid(msg.token))) {
        sockets.sendStream(ws, { type: "error", code: "unauthorized", message: "This chat link is not valid." });
        closeSocket(ws, CLOSE_CODES.policy, "bad token");
        return;
      }
      sockets.update(ws, { ...att, authed: true });
      return;
    }
    if (!att.authed) return sockets.sendStream(ws, { type: "error", code: "hello_required", message: "Say hello (with your token) first." });
    switch (msg.type) {
      case "start":
        return this.onStart(ws, att, msg.url, msg.title, msg.sharingId ?? null);
      case "events":
        return this.onEvents(ws, att, msg.events, typeof raw === "string" ? raw.length : raw.byteLength);
      case "stop":
        await this.core.commit((s) => sharingStoppedByPage(s, att.sharingId ?? null));
        closeSocket(ws, CLOSE_CODES.normal, "stopped");
        return;
      default:
        return assertNever(msg);
    }
  }

  /** The patron agrees to share this page (or the next page of a sharing goes on). */
  private async onStart(ws: WebSocket, att: SessionSocket, rawUrl: string, title: string, resumeId: string | null): Promise<void> {
    const sockets = this.core.sockets;
    const start = { page: webUrl(rawUrl), socketOrigin: att.origin ?? null, title, resumeId };
    let sharingId: string | null = null;
    const result = await this.core.commit((current, now) => {
      const verdict = startSharing(current, { ...start, newSharingId: crypto.randomUUID() }, now);
      if (!verdict.ok) {
        if (!verdict.quiet) sockets.sendStream(ws, { type: "error", code: verdict.code, message: verdict.message, ...(verdict.field ? { field: verdict.field } : {}) });
        if (verdict.ended) sockets.sendStream(ws, { type: "ended", reason: verdict.ended });
        // Nothing more can come on a chat that is over: the documented close.
        if (verdict.code === "session_ended") closeSocket(ws, CLOSE_CODES.sessionEnded, "session ended");
        return verdict;
      }
      sharingId = verdict.sharingId;
      // The page it came from stops streaming: the newest page of a sharing is the one shown.
      for (const old of sockets.sharing(sharingId, ws)) {
        sockets.sendStream(old, { type: "ended", reason: "the sharing moved to another page" });
        closeSocket(old, CLOSE_CODES.normal, "moved on");
      }
      sockets.update(ws, { ...att, sharingId });
      this.streams.set(ws, newStreamLimits(Date.now()));
      return verdict;
    });
    if (result.ok && sharingId) sockets.sendStream(ws, { type: "started", sharingId, librarianName: result.state.cobrowse!.librarian.name });
  }

  /** Page events: checked and relayed to the serving librarian's sockets only; never stored. */
  private onEvents(ws: WebSocket, att: SessionSocket, events: PageEvent[], bytes: number): void {
    const sockets = this.core.sockets;
    const s = this.core.state!;
    const c = s.cobrowse;
    if (s.status !== "active" || !att.sharingId || c?.status !== "active" || c.sharingId !== att.sharingId || c.librarian.id !== s.librarian?.id) {
      return sockets.sendStream(ws, { type: "error", code: "forbidden", message: "This page is not being shared; nothing was relayed." });
    }
    let limits = this.streams.get(ws);
    if (!limits) {
      // The object slept since this page started: the guard knows nothing of its fields, so ask for the whole page again.
      limits = newStreamLimits(Date.now());
      this.streams.set(ws, limits);
      sockets.sendStream(ws, { type: "resync" });
    }
    const now = Date.now();
    if (!limits.frames.take(1, now) || !limits.bytes.take(bytes, now)) {
      return sockets.sendStream(ws, { type: "error", code: "rate_limited", message: "The page sent too much at once; part of it was not relayed." });
    }
    const problem = streamProblem(events, limits.kinds);
    if (problem) return sockets.sendStream(ws, { type: "error", code: "validation_failed", message: `${problem} Nothing of this part was relayed.` });
    sockets.toLibrarian(c.librarian.id, { type: "cobrowse.events", events });
  }

  /** A sharing page's socket closed: the next page of the site may resume within COBROWSE_LIMITS.resumeMs. */
  async onGone(att: SessionSocket): Promise<void> {
    const sharingId = att.sharingId;
    if (!sharingId || this.core.sockets.sharing(sharingId).length > 0) return;
    await this.core.commit((s, now) => pauseSharing(s, sharingId, now));
  }

  /** The serving librarian's point, navigation or resync goes to the sharing page. */
  toPage(frame: CobrowseServerMessage): { ok: true } | { ok: false; message: string } {
    const c = this.core.state?.cobrowse;
    if (c?.status !== "active" && c?.status !== "paused") return { ok: false, message: "The patron is not sharing their page." };
    const pages = this.core.sockets.sharing(c.sharingId);
    if (pages.length === 0) return { ok: false, message: "The patron's page is loading; try again in a moment." };
    for (const page of pages) this.core.sockets.sendStream(page, frame);
    return { ok: true };
  }
}

function newStreamLimits(now: number): StreamLimits {
  return {
    frames: new RateBucket(COBROWSE_LIMITS.framesPerSecond, 1000, now),
    bytes: new RateBucket(COBROWSE_LIMITS.bytesPerSecond, 1000, now),
    kinds: newNodeKinds(),
  };
}
