/**
 * What the patron's and the librarians' chat sockets say: hello and resume,
 * messages (stored before they are acknowledged or relayed, once per client
 * id), typing, and the frames that are decided by a session rule.
 */
import { CLOSE_CODES } from "../../src/shared/close-codes";
import type { CobrowseServerMessage, ErrorFrame, PushedPage, SharedFile } from "../../src/shared/protocol";
import { webUrl } from "../../src/shared/web-address";
import type { FrameBudget } from "../shared/frame-budget";
import { closeSocket } from "../shared/sockets";
import type { FileResult, FileSender, PushResult, Refusal } from "../../src/objects/contracts";
import type { CobrowseRelay } from "./cobrowse-relay";
import { browserCheckOf, cobrowseRefusal, type Sender } from "./rules/cobrowse";
import { andThen, refuse, type Verdict } from "./rules/decision";
import { fileRefusal } from "./rules/files";
import { patronBack } from "./rules/lifecycle";
import { LOG_FULL_MESSAGE, logFilled, logHasRoom, notePatronOrigin, writeRefusal } from "./rules/chat-frames";
import { PreviewRefresh } from "./preview-refresh";
import type { SessionCore } from "./session-core";
import { cobrowseView, isInChat, patronNameOf, sessionView, transcriptChoiceOf, type SessionState } from "./session-state";
import { authorOf, type SessionSocket } from "./sockets";
import { utf8Bytes } from "./store";

export function senderOf(att: SessionSocket): Sender {
  return att.role === "librarian" && att.librarian ? { role: "librarian", librarian: att.librarian } : { role: "patron" };
}

export function errorFrame(r: Refusal): ErrorFrame {
  return { type: "error", code: r.code, message: r.message, ...(r.field ? { field: r.field } : {}) };
}

export class ChatSocketFrames {
  private readonly preview: PreviewRefresh;

  constructor(
    private readonly core: SessionCore,
    private readonly relay: CobrowseRelay,
    private readonly budget: FrameBudget,
    private readonly patronTokenValid: (token: string) => Promise<boolean>,
  ) {
    this.preview = new PreviewRefresh(() => this.core.background(this.core.runEffects([{ kind: "refresh-preview" }])));
  }

  /** Who says hello: a patron with the chat's token, or the librarian serving the chat. Then everything missed, in order. */
  async onHello(ws: WebSocket, att: SessionSocket, token: string | undefined, lastSeq: number): Promise<void> {
    const sockets = this.core.sockets;
    if (att.role === "patron") {
      if (token === undefined || !(await this.patronTokenValid(token))) {
        sockets.send(ws, { type: "error", code: "unauthorized", message: "This chat link is not valid." });
        closeSocket(ws, CLOSE_CODES.policy, "bad token");
        return;
      }
    } else if (!isInChat(this.core.state!, att.librarian?.id)) {
      sockets.send(ws, { type: "error", code: "forbidden", message: "Only the librarian serving this chat, or a colleague consulting in it, can join it." });
      closeSocket(ws, CLOSE_CODES.policy, "not serving");
      return;
    }
    sockets.update(ws, { ...att, authed: true });
    if (att.role === "librarian") this.core.access.socketOpened(this.core.now());
    const s = this.core.state!;
    const store = this.core.store;
    // Welcome, then everything missed, in order — all sent in this one turn, so no
    // live message can slip in between and arrive out of order.
    sockets.send(ws, {
      type: "welcome",
      role: att.role,
      session: sessionView(s),
      lastSeq: store.lastSeq,
      ...(att.role === "patron" ? { transcript: transcriptChoiceOf(s) } : {}),
    });
    for (const message of store.messagesAfter(Math.min(lastSeq, store.lastSeq))) sockets.send(ws, { type: "message", message });
    if (att.role === "librarian") sockets.send(ws, { type: "check", check: browserCheckOf(s) });
    if (s.cobrowse) sockets.send(ws, { type: "cobrowse", cobrowse: cobrowseView(s.cobrowse) });
    // A client reconnecting to a chat that has ended gets the whole story, then the documented close.
    if (s.status === "ended") return closeSocket(ws, CLOSE_CODES.sessionEnded, "session ended");
    if (att.role === "patron") await this.core.commit((current) => andThen(patronBack(current), (back) => notePatronOrigin(back, att.origin ?? null)));
  }

  onSend(ws: WebSocket, att: SessionSocket, clientId: string, body: string): void {
    const sockets = this.core.sockets;
    const store = this.core.store;
    const s = this.core.state!;
    const refusal = writeRefusal(s, senderOf(att));
    if (refusal) return sockets.send(ws, errorFrame(refusal));
    const isPatron = att.role === "patron";
    const authorKey = authorOf(att);
    // A message already stored is acknowledged again whatever the rate (a reconnect resends its unacknowledged ones).
    if (!store.findSent(authorKey, clientId)) {
      const retryAfterMs = this.budget.messageWait(authorKey);
      if (retryAfterMs > 0) {
        const message = "Messages are arriving too fast; this one will be sent again in a moment.";
        return sockets.send(ws, { type: "error", code: "rate_limited", message, clientId, retryAfterMs });
      }
    }
    // The log's caps keep every chat fileable: a message that does not fit is refused for good, and both sides told once.
    if (!store.findSent(authorKey, clientId) && !logHasRoom(store.size, utf8Bytes(body), "person")) {
      sockets.send(ws, { type: "error", code: "too_large", message: LOG_FULL_MESSAGE, clientId });
      this.core.background(this.core.commit((current) => logFilled(current)));
      return;
    }
    const whileWaiting = s.status === "waiting";
    const name = isPatron ? patronNameOf(s) : att.librarian!.name;
    const { message, duplicate } = store.append({ authorKey, role: att.role, name, kind: "text", body, clientId, whileWaiting }, this.core.now());
    sockets.send(ws, { type: "ack", clientId, seq: message.seq, duplicate });
    if (duplicate) return;
    sockets.broadcast({ type: "message", message });
    // The queues' preview of what the patron adds while waiting follows without holding up the chat.
    if (isPatron && whileWaiting) this.preview.request();
  }

  /** The serving librarian pushes a page (checked by the Worker); stored like a message, once per client id. */
  async push(input: { librarianId: string; clientId: string; page: PushedPage; body: string }): Promise<PushResult> {
    const s = this.core.state;
    if (!s) return refuse("not_found", "Chat session not found.");
    if (s.librarian?.id !== input.librarianId) return refuse("forbidden", "Only the librarian serving this chat can push pages to the patron.");
    if (s.status === "ended" || s.status === "unavailable") return refuse("session_ended", "This chat has ended.");
    if (s.status !== "active") return refuse("not_active", "The patron has left this chat.");
    const store = this.core.store;
    const authorKey = `librarian:${s.librarian.id}`;
    if (!store.findSent(authorKey, input.clientId) && !logHasRoom(store.size, utf8Bytes(input.body), "person")) {
      await this.core.commit((current) => logFilled(current));
      return refuse("too_large", LOG_FULL_MESSAGE);
    }
    const { message, duplicate } = store.append(
      { authorKey, role: "librarian", name: s.librarian.name, kind: "push", body: input.body, clientId: input.clientId, whileWaiting: false, push: input.page },
      this.core.now(),
    );
    if (!duplicate) this.core.sockets.broadcast({ type: "message", message });
    return { ok: true, message, duplicate };
  }

  /** A file the Worker checked and stored, from the patron or a librarian in the chat; added like a message, once per client id. */
  async attach(input: { from: FileSender; clientId: string; file: SharedFile }): Promise<FileResult> {
    const s = this.core.state;
    if (!s) return refuse("not_found", "Chat session not found.");
    const store = this.core.store;
    const authorKey = input.from.role === "patron" ? "patron" : `librarian:${input.from.librarianId}`;
    const already = store.findSent(authorKey, input.clientId);
    if (already) return { ok: true, message: already, duplicate: true };
    const refusal = fileRefusal(s, input.from, input.file, store.fileTotals());
    if (refusal) return refusal as FileResult;
    const body = `${input.file.name} (${Math.max(1, Math.round(input.file.bytes / 1024))} KB)`;
    if (!logHasRoom(store.size, utf8Bytes(body), "person")) {
      await this.core.commit((current) => logFilled(current));
      return refuse("too_large", LOG_FULL_MESSAGE);
    }
    const role = input.from.role;
    const librarian = role === "librarian" ? [s.librarian, ...(s.consultants ?? [])].find((l) => l?.id === (input.from as { librarianId: string }).librarianId) : null;
    const { message } = store.append(
      { authorKey, role, name: role === "patron" ? patronNameOf(s) : (librarian?.name ?? "Librarian"), kind: "file", body, clientId: input.clientId, whileWaiting: s.status === "waiting", file: input.file },
      this.core.now(),
    );
    this.core.sockets.broadcast({ type: "message", message });
    return { ok: true, message, duplicate: false };
  }

  onTyping(att: SessionSocket, active: boolean): void {
    const s = this.core.state!;
    if (s.status !== "active" && s.status !== "waiting") return;
    this.typing(att, s, active);
  }

  /** A frame decided by a session rule: committed, or answered with the refusal. */
  async decided(ws: WebSocket, rule: (s: SessionState, now: number) => Verdict): Promise<void> {
    const result = await this.core.commit(rule);
    if (!result.ok) this.core.sockets.send(ws, errorFrame(result));
  }

  /** The serving librarian points, navigates or asks for the whole page again. */
  toPage(ws: WebSocket, att: SessionSocket, frame: CobrowseServerMessage): void {
    const sockets = this.core.sockets;
    const s = this.core.state!;
    if (att.role !== "librarian") return sockets.send(ws, { type: "error", code: "forbidden", message: "Only the librarian serving this chat leads co-browsing." });
    const refusal = cobrowseRefusal(s, senderOf(att));
    if (refusal) return sockets.send(ws, errorFrame(refusal));
    const sent = this.relay.toPage(frame);
    if (!sent.ok) sockets.send(ws, { type: "error", code: "not_active", message: sent.message });
  }

  /** Navigation stays on the shared site; other sites go as a link or a pushed page. */
  navigate(ws: WebSocket, att: SessionSocket, raw: string): void {
    const s = this.core.state!;
    const url = webUrl(raw.trim());
    const origin = s.cobrowse?.origin;
    if (att.role === "librarian" && s.librarian?.id === att.librarian?.id && s.cobrowse && (!url || !origin || url.origin !== origin)) {
      const message = !url
        ? "Only web addresses (http or https) can be opened for a patron."
        : `Co-browsing stays on the patron's site (${origin ?? "unknown"}); send other sites as a link or push them.`;
      return this.core.sockets.send(ws, { type: "error", code: "validation_failed", message, field: "url" });
    }
    this.toPage(ws, att, { type: "navigate", url: url?.href ?? raw });
  }

  /** A chat socket went away: whoever it was stops typing as far as the other side can tell. */
  onGone(att: SessionSocket): void {
    const s = this.core.state;
    if (att.authed && s?.status === "active") this.typing(att, s, false);
  }

  private typing(att: SessionSocket, s: SessionState, active: boolean): void {
    const name = att.role === "librarian" ? att.librarian!.name : patronNameOf(s);
    this.core.sockets.broadcast({ type: "typing", role: att.role, name, active }, att.role === "patron" ? "librarian" : "patron");
  }
}
