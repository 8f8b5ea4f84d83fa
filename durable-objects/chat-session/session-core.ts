/**
 * The one way a chat session changes: `commit`. It reads the stored state,
 * asks a pure rule for a verdict, and — in the same synchronous turn — stores
 * the decision, appends its transcript lines and tells every socket. Only
 * then are the decision's effects awaited (queue objects, D1, mail). Because
 * nothing is awaited between reading the state and storing the decision, a
 * rival call (another accept, a transfer, a patron leaving) always sees the
 * decision, and the output gate holds every reply until it is durable.
 */
import type { Clock } from "../../src/shared/clock";
import type { Refusal, RequestQueueApi } from "../../src/objects/contracts";
import { requestQueue } from "../../src/objects/index";
import { fileEndedSession } from "../../src/questions/file-session";
import { CLOSE_CODES } from "../../src/shared/close-codes";
import { logEvent, logFailure } from "../shared/log";
import { closeSocket } from "../shared/sockets";
import { refuse, type Decision, type SessionEffect, type Verdict } from "./rules/decision";
import { browserCheckOf } from "./rules/cobrowse";
import { endedSessionOf, filed, filingFailed, needsFiling } from "./rules/filing";
import { nextAlarmAt } from "./rules/timers";
import { SessionAccessWatch } from "./access-watch";
import { SessionRowMirror } from "./row-mirror";
import { cobrowseView, idleEndAt, queuedRequestFor, sessionView, transcriptChoiceOf, type SessionState } from "./session-state";
import { SessionSockets } from "./sockets";
import { systemLineText } from "../../src/shared/system-lines";
import { logHasRoom } from "./rules/chat-frames";
import { SessionStore, utf8Bytes } from "./store";

/** What the object gives its core: storage and sockets, its environment (read when used), and "now". */
export interface SessionHost {
  readonly ctx: DurableObjectState;
  env(): Env;
  readonly clock: Clock;
}

export type Committed = { ok: true; state: SessionState } | Refusal;

export class SessionCore {
  readonly store: SessionStore;
  readonly sockets: SessionSockets;
  readonly mirror: SessionRowMirror;
  readonly access: SessionAccessWatch;
  /** The due time the alarm was last set for (undefined: unknown). */
  private alarmSetFor: number | null | undefined;

  constructor(private readonly host: SessionHost) {
    this.store = new SessionStore(host.ctx.storage.sql);
    this.sockets = new SessionSockets(host.ctx);
    this.mirror = new SessionRowMirror({ store: this.store, env: host.env, now: () => host.clock.now() });
    this.access = new SessionAccessWatch(this.sockets, host.env);
  }

  get state(): SessionState | null {
    return this.store.state;
  }

  get env(): Env {
    return this.host.env();
  }

  now(): number {
    return this.host.clock.now();
  }

  /** Work that may finish after the current call has answered. */
  background(work: Promise<unknown>): void {
    this.host.ctx.waitUntil(work);
  }

  queue(queueId: string): RequestQueueApi {
    return requestQueue(this.host.env(), queueId);
  }

  /**
   * Decides with `rule` on the stored state and commits the decision: stored
   * and announced before the first await, effects after. A refusal changes nothing.
   */
  async commit(rule: (s: SessionState, now: number) => Verdict): Promise<Committed> {
    const s = this.store.state;
    if (!s) return refuse("not_found", "Chat session not found.");
    const verdict = rule(s, this.now());
    if (!verdict.ok) return verdict;
    this.apply(verdict);
    await this.runEffects(verdict.effects);
    if (verdict.next !== s || verdict.effects.length > 0) await this.scheduleAlarm();
    return { ok: true, state: this.store.state! };
  }

  /** Commits a session's first decision (there is no state before it). */
  async create(decision: Decision): Promise<void> {
    this.apply(decision);
    await this.runEffects(decision.effects);
    await this.scheduleAlarm();
  }

  /** The synchronous half of a commit: store, log, tell. */
  apply(d: Decision): void {
    const before = this.store.state;
    if (d.next !== before) this.store.save(d.next);
    const s = d.next;
    const now = this.now();
    for (const out of d.outputs) {
      switch (out.kind) {
        case "line": {
          // Past the log's caps (and their small headroom for system lines) a line is dropped: the chat must stay fileable.
          const body = systemLineText(out.line);
          if (!logHasRoom(this.store.size, utf8Bytes(body), "system")) break;
          const whileWaiting = s.status === "waiting";
          const { message } = this.store.append({ authorKey: "system", role: "system", name: "Refdesk", kind: "system", body, line: out.line, clientId: null, whileWaiting }, now);
          this.sockets.broadcast({ type: "message", message });
          break;
        }
        case "patron-text": {
          if (!logHasRoom(this.store.size, utf8Bytes(out.body), "system")) break;
          const { message } = this.store.append({ authorKey: "patron", role: "patron", name: out.name, kind: "text", body: out.body, clientId: null, whileWaiting: true }, now);
          this.sockets.broadcast({ type: "message", message });
          break;
        }
        case "status":
          this.sockets.broadcast({ type: "status", session: sessionView(s) });
          break;
        case "cobrowse":
          this.sockets.broadcast({ type: "cobrowse", cobrowse: cobrowseView(s.cobrowse) });
          break;
        case "transcript":
          this.sockets.broadcast({ type: "transcript", ...transcriptChoiceOf(s) }, "patron");
          break;
        case "check":
          this.sockets.broadcast({ type: "check", check: browserCheckOf(s) }, "librarian");
          break;
        case "stop-sharing":
          for (const ws of this.sockets.streams()) {
            this.sockets.sendStream(ws, { type: "ended", reason: out.reason });
            closeSocket(ws, CLOSE_CODES.normal, "co-browsing ended");
          }
          break;
        case "internal-note":
          this.store.addNote(now, out.author, "transfer", out.body);
          break;
        case "close":
          this.sockets.close(out.sockets, out.code, out.reason);
          break;
        default:
          assertNever(out);
      }
    }
  }

  /** The awaited half: each effect guarded, so one failing never undoes or fails the decision. */
  async runEffects(effects: readonly SessionEffect[]): Promise<void> {
    await Promise.all(effects.map((e) => this.runEffect(e)));
  }

  private async runEffect(e: SessionEffect): Promise<void> {
    const sessionId = this.store.state?.sessionId ?? "";
    switch (e.kind) {
      case "withdraw":
        await Promise.all(e.queueIds.map((q) => this.queue(q).removeRequest(sessionId, e.reason, e.by).catch(logFailure("queue_remove_failed", sessionId))));
        return;
      case "mirror":
        return this.mirror.record(e.patch, e.urgency);
      case "file":
        return this.file();
      case "refresh-preview": {
        const s = this.store.state;
        if (!s || s.status !== "waiting") return;
        const preview = this.store.waitingPreview();
        await Promise.all(s.queueIds.map((q) => this.queue(q).updateRequest(queuedRequestFor(s, q, preview)).catch(logFailure("preview_update_failed", sessionId))));
        return;
      }
      default:
        assertNever(e);
    }
  }

  /** Files the ended session in D1 (transcript, question, mail); a failure is retried by the alarm. */
  async file(): Promise<void> {
    const s = this.store.state;
    if (!s || !needsFiling(s)) return;
    await this.mirror.supersede();
    try {
      await fileEndedSession(this.host.env(), endedSessionOf(s, this.store.messagesAfter(0), this.now()));
      this.apply(filed(this.store.state!));
    } catch (error) {
      const next = filingFailed(this.store.state!, this.now());
      logEvent("error", "filing_failed", { sessionId: s.sessionId, attempts: next.next.fileAttempts }, error);
      this.apply(next);
      // The health page shows chats whose filing is retrying: the row says so (D1 may be what failed; the mirror retries).
      await this.mirror.record({ filingAttempts: next.next.fileAttempts, filingFailedAt: this.now() }, "now");
    }
  }

  /**
   * One alarm serves every timer: set it to the next due time among them.
   * Skipped when that is what was last set (memory only: after hibernation,
   * or once the alarm has run, it is set again).
   */
  async scheduleAlarm(): Promise<void> {
    const s = this.store.state;
    const other = {
      helloDeadlines: this.sockets.helloDeadlines(),
      mirrorDueAt: this.mirror.dueAt(),
      accessCheckAt: this.access.dueAt(this.now()),
      idleEndAt: s ? idleEndAt(s, this.store.lastMessageAt) : null,
    };
    const at = nextAlarmAt(s, other);
    if (at === this.alarmSetFor) return;
    this.alarmSetFor = at;
    if (at === null) {
      await this.host.ctx.storage.deleteAlarm();
      return;
    }
    // Alarms run in real time; translate the (movable) clock's due time into it.
    await this.host.ctx.storage.setAlarm(Math.max(Date.now(), at - this.now() + Date.now()));
  }

  /** The alarm ran: whatever was set is spent. */
  alarmRan(): void {
    this.alarmSetFor = undefined;
  }

  /** The queue entry for this request in `queueId`, with its current preview. */
  queuedRequest(s: SessionState, queueId: string) {
    return queuedRequestFor(s, queueId, this.store.waitingPreview());
  }
}

export function assertNever(x: never): never {
  throw new Error(`unhandled ${JSON.stringify(x)}`);
}
