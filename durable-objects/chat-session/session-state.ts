/**
 * A chat session's stored state and the views made from it. Pure: no storage,
 * no sockets — the rules and the tests read and write these plain values.
 */
import { nameInText } from "../../src/shared/display-text";
import type { LibrarianRef, StartChat, TransferTarget } from "../../src/objects/contracts";
import type { RoutePlan } from "../../src/queues/routing-policy";
import type { FiledResolution } from "../../src/shared/codes";
import { LIMITS, TIMING } from "../../src/shared/limits";
import type { BrowserReport, CobrowseView, QueuedRequest, SessionStatus, SessionView, TranscriptChoice } from "../../src/shared/protocol";

export interface SessionState extends Omit<StartChat, "queueId" | "waitLimitSeconds" | "route"> {
  status: SessionStatus;
  /** Every queue this request has been offered in. */
  queueIds: string[];
  librarian: LibrarianRef | null;
  createdAt: number;
  acceptedAt: number | null;
  endedAt: number | null;
  waitLimitAt: number;
  /** When an unanswered, unavailable request is filed if the patron does nothing. */
  abandonAt: number | null;
  resolution: FiledResolution | null;
  descriptiveCodes: string[];
  note: string | null;
  source: "chat" | "email";
  filed: boolean;
  fileAttempts: number;
  fileRetryAt: number | null;
  /** A transfer offered and not yet accepted (absent in states stored before transfers existed). */
  transfer?: PendingTransfer | null;
  /** Cooperative routing (absent on sessions with a single queue, and on older stored states). */
  route?: RoutePlan | null;
  /** When the next roll-over is considered, while waiting. */
  rolloverAt?: number | null;
  /** The library page the patron's Qwidget runs on, from its socket's Origin (null on Refdesk's own chat page). */
  patronOrigin?: string | null;
  /** What the patron's browser reported it can do (the co-browse check). */
  browser?: BrowserReport | null;
  /** Co-browsing: asked for, sharing, or paused between two pages (absent or null: off). */
  cobrowse?: CobrowseState | null;
  /** The message log reached SESSION_CAPS (both sides were told). */
  logFull?: boolean;
  /** A chat with no message for this long ends by itself (absent on older states: TIMING.idleEndMs). */
  idleEndMs?: number;
  /** The librarian who owns the chat turned files off for it. */
  filesRefused?: boolean;
  /** Colleagues consulting beside the librarian who owns the chat. */
  consultants?: LibrarianRef[];
  /** A colleague invited to consult who has not joined yet. */
  consultInvite?: ConsultInvite | null;
  /** The queue through which the first librarian accepted (for statistics). */
  acceptedQueueId?: string | null;
  /** While waiting: when the patron's last chat socket went away (null: the patron is here). */
  patronGoneAt?: number | null;
}

/** Co-browsing's consent state. The stream itself is never stored. */
export interface CobrowseState {
  status: "requested" | "active" | "paused";
  librarian: { id: string; name: string };
  /** Set when the patron agreed: the pages carrying this id may stream. */
  sharingId: string | null;
  /** The shared site's origin: navigation stays on it. */
  origin: string | null;
  url: string | null;
  title: string | null;
  since: number | null;
  /** While paused: when co-browsing ends unless the next page resumes it. */
  resumeBy: number | null;
}

export interface ConsultInvite {
  id: string;
  from: LibrarianRef;
  to: LibrarianRef;
  /** The queue object that shows the invitation to the colleague. */
  queueId: string;
  expiresAt: number;
}

export interface PendingTransfer {
  id: string;
  from: LibrarianRef;
  to: TransferTarget;
  /** The queue object that shows the offer: the target librarian's queue, or the target queue. */
  queueId: string;
  note: string | null;
  expiresAt: number;
}

/** Unanswered requests left in the "unavailable" state are filed after this long. */
export const ABANDON_AFTER_MS = 30 * 60 * 1000;

/** The state of a request just made: waiting in its form's queue. */
export function initialState(init: StartChat, now: number): SessionState {
  const { route, queueId, waitLimitSeconds, idleEndMinutes, ...fields } = init;
  return {
    ...fields,
    status: "waiting",
    queueIds: [queueId],
    librarian: null,
    createdAt: now,
    acceptedAt: null,
    endedAt: null,
    waitLimitAt: now + waitLimitSeconds * 1000,
    abandonAt: null,
    resolution: null,
    descriptiveCodes: [],
    note: null,
    source: "chat",
    filed: false,
    fileAttempts: 0,
    fileRetryAt: null,
    route: route && route.stages.length > 1 ? route : null,
    rolloverAt: null,
    idleEndMs: idleEndMinutes ? idleEndMinutes * 60_000 : TIMING.idleEndMs,
    patronGoneAt: null,
  };
}

/** How the patron is named to others: their name, or "Patron". */
export const patronNameOf = (s: SessionState): string => s.patronName || "Patron";

/** When a chat in progress ends by itself if nobody writes, given its last message's time (null: not in progress). */
export function idleEndAt(s: SessionState, lastMessageAt: number): number | null {
  return s.status === "active" || s.status === "patron_left" ? lastMessageAt + (s.idleEndMs ?? TIMING.idleEndMs) : null;
}

/** When a waiting patron whose sockets all went away counts as gone (null: not waiting, or here). */
export function patronGoneDeadline(s: SessionState): number | null {
  return s.status === "waiting" && s.patronGoneAt ? s.patronGoneAt + TIMING.patronGoneMs : null;
}

/** The chat is over for messages: ended, or never answered and given up. */
export const isOver = (s: SessionState): boolean => s.status === "ended" || s.status === "unavailable";

export function sessionView(s: SessionState): SessionView {
  return {
    id: s.sessionId,
    status: s.status,
    libraryId: s.libraryId,
    libraryName: s.libraryName,
    question: s.question,
    patronName: patronNameOf(s),
    librarian: s.librarian,
    createdAt: s.createdAt,
    acceptedAt: s.acceptedAt,
    endedAt: s.endedAt,
    transfer: s.transfer
      ? { kind: s.transfer.to.kind, toName: transferTargetName(s.transfer.to), fromName: s.transfer.from.name, expiresAt: s.transfer.expiresAt }
      : null,
    consultants: s.consultants ?? [],
    filesAllowed: s.filesAllowed !== false && !s.filesRefused,
    consultInvite: s.consultInvite ? { toName: s.consultInvite.to.name, fromName: s.consultInvite.from.name, expiresAt: s.consultInvite.expiresAt } : null,
  };
}

export function transferTargetName(to: TransferTarget): string {
  return to.kind === "librarian" ? nameInText(to.librarian.name) : to.queueName;
}

export function transcriptChoiceOf(s: SessionState): TranscriptChoice {
  return { send: !s.transcriptOptOut && !!s.patronEmail, email: s.patronEmail };
}

export function cobrowseView(c: CobrowseState | null | undefined): CobrowseView {
  if (!c) return { status: "off", librarianName: null, url: null, title: null, since: null };
  return { status: c.status, librarianName: c.librarian.name, url: c.url, title: c.title, since: c.since };
}

/** The queue entry that shows this request in `queueId`, with the patron's latest waiting-time lines as a preview. */
export function queuedRequestFor(s: SessionState, queueId: string, preview: string[]): QueuedRequest {
  return {
    sessionId: s.sessionId,
    // Each queue shows the request under its own id (monitors file it by queue).
    queueId,
    libraryId: s.libraryId,
    libraryName: s.libraryName,
    formId: s.formId,
    question: s.question,
    patronName: patronNameOf(s),
    createdAt: s.createdAt,
    preview: preview.map((line) => line.slice(0, LIMITS.previewChars)),
    formTitle: s.formTitle ?? null,
  };
}

/** Whether this librarian may take part in the chat: the owner, or a consultant. */
export function isInChat(s: SessionState, librarianId: string | undefined): boolean {
  return !!librarianId && (s.librarian?.id === librarianId || (s.consultants ?? []).some((c) => c.id === librarianId));
}

/** The queue entry that invites a colleague to consult (shown to them alone). */
export function consultRequestFor(s: SessionState, invite: ConsultInvite, preview: string[]): QueuedRequest {
  return {
    ...queuedRequestFor(s, invite.queueId, preview),
    consult: { id: invite.id, from: { id: invite.from.id, name: invite.from.name }, toLibrarianId: invite.to.id, expiresAt: invite.expiresAt },
  };
}

/** The queue entry that offers this chat for transfer. */
export function transferRequestFor(s: SessionState, t: PendingTransfer, preview: string[]): QueuedRequest {
  return {
    ...queuedRequestFor(s, t.queueId, preview),
    transfer: {
      id: t.id,
      from: { id: t.from.id, name: t.from.name },
      toLibrarianId: t.to.kind === "librarian" ? t.to.librarian.id : null,
      toName: transferTargetName(t.to),
      note: t.note,
      expiresAt: t.expiresAt,
    },
  };
}
