/**
 * What the Worker and the two Durable Objects say to each other: the shared
 * domain types and each object's RPC surface. Routes, domain modules and the
 * objects all import from here, so no object file imports another object's
 * file, and nothing here imports an object.
 */
import type { FiledResolution, ResolutionCode } from "../shared/codes";
import type { ChatMethod } from "../shared/admin-limits";
import type { ChatMessage, DirectMessage, ErrorCode, Monitor, PushedPage, QueuedRequest, REMOVAL_REASONS, SessionStatus, SessionView, SharedFile } from "../shared/protocol";
import type { RoutePlan } from "../queues/routing-policy";

/** A librarian as the objects know them: enough to show, to authorise and to file. */
export interface LibrarianRef {
  id: string;
  name: string;
  libraryId: string;
}

/** Everything a chat session needs to begin: decided by the Worker from the form and the request. */
export interface StartChat {
  sessionId: string;
  /** Digest of the patron's token; the token itself is never stored. */
  tokenHash: string;
  libraryId: string;
  libraryName: string;
  formId: string | null;
  /** Shown in the monitor's queue. */
  formTitle?: string | null;
  queueId: string;
  question: string;
  patronName: string | null;
  patronEmail: string | null;
  transcriptOptOut: boolean;
  waitLimitSeconds: number;
  /** A chat with no message for this long ends by itself (the library's setting; absent: the default). */
  idleEndMinutes?: number;
  /** Cooperative routing: the queues to try in order (absent: the form's queue only). */
  route?: RoutePlan;
  /** The form's chat method: plain chat, or chat with a viewport for pushed pages. */
  chatMethod?: ChatMethod;
  /** Whether the library lets files be sent in its chats (absent: yes). */
  filesAllowed?: boolean;
}

/** A refusal from an object: the same code, message and field the HTTP error and the error frame carry. */
export interface Refusal<C extends ErrorCode = ErrorCode> {
  ok: false;
  code: C;
  message: string;
  field?: string;
  /** Who has the chat, when the refusal is `already_taken`. */
  by?: LibrarianRef;
}

export type ClaimResult = { ok: true; session: SessionView } | Refusal<"already_taken" | "forbidden" | "not_found" | "session_ended" | "not_active">;
export type HandBackResult = { ok: true; status: SessionStatus } | Refusal<"not_found" | "not_active">;
export type EndResult = { ok: true; filed: boolean } | Refusal;
export type TransferResult = { ok: true; session: SessionView } | Refusal<"forbidden" | "not_found" | "session_ended" | "not_active" | "validation_failed">;
export type ConsultResult = { ok: true; session: SessionView } | Refusal<"forbidden" | "not_found" | "session_ended" | "not_active" | "validation_failed" | "already_taken">;

/** The serving librarian invites a colleague (monitoring `queueId`) to consult in the chat. */
export interface ConsultInvitation {
  from: LibrarianRef;
  to: LibrarianRef;
  queueId: string;
}

/** Who sends a file into a chat: the patron (their token checked by the Worker), or a librarian in the chat. */
export type FileSender = { role: "patron" } | { role: "librarian"; librarianId: string };

export type FileResult = { ok: true; message: ChatMessage; duplicate: boolean } | Refusal<"forbidden" | "not_found" | "session_ended" | "not_active" | "too_large">;

export type PushResult = { ok: true; message: ChatMessage; duplicate: boolean } | Refusal<"forbidden" | "not_found" | "session_ended" | "not_active" | "too_large">;

export interface EndChat {
  librarianId: string;
  resolution: ResolutionCode;
  descriptiveCodes: string[];
  note: string | null;
}

/** Where a transfer goes: one monitoring librarian, or every monitor of a queue. */
export type TransferTarget = { kind: "librarian"; librarian: LibrarianRef } | { kind: "queue"; queueName: string };

export interface TransferOffer {
  from: LibrarianRef;
  to: TransferTarget;
  /** The queue object that shows the offer: the target librarian's queue, or the target queue. */
  queueId: string;
  note: string | null;
}

/** A note among librarians about a chat (e.g. why it was transferred); never shown to the patron. */
export interface InternalNote {
  id: number;
  at: number;
  author: { id: string; name: string };
  kind: "transfer";
  body: string;
}

/** What the push route needs to decide where a page opens. */
export interface PushTargetInfo {
  chatMethod: ChatMethod;
  patronOrigin: string | null;
  framingWorks: boolean | null;
}

/** What the Worker needs to authorise a request about a session. */
export interface SessionDescription {
  view: SessionView;
  queueIds: string[];
  resolution: FiledResolution | null;
  filed: boolean;
}

/** Why a request left a queue, as its monitors are told. */
export type RemovalReason = (typeof REMOVAL_REASONS)[number];

/** How a request is offered to a queue (cooperative routing, src/queues/routing-policy.ts). */
export interface OfferOptions {
  /** Add it even when nobody is monitoring (a patron's home queue keeps its requests while they roll over). */
  keepWhenUnstaffed?: boolean;
  /** Tell the request's chat session when this queue loses its last monitor while it waits. */
  watchStaffing?: boolean;
}

/** Identity headers the Worker sets on the upgrades it forwards; objects trust nothing else. */
export const IDENTITY_HEADERS = {
  librarian: "X-Refdesk-Librarian",
  queue: "X-Refdesk-Queue",
  channel: "X-Refdesk-Channel",
  origin: "X-Refdesk-Origin",
  /** The librarian's sign-in session (its stored digest), so the socket closes when that sign-in ends. */
  signIn: "X-Refdesk-Sign-In",
} as const;

interface UpgradeTarget {
  fetch(request: Request): Promise<Response>;
}

/** The chat session object's RPC surface (one object per chat request). */
export interface ChatSessionApi extends UpgradeTarget {
  start(init: StartChat): Promise<{ status: SessionStatus }>;
  describe(): Promise<SessionDescription | null>;
  transcript(): Promise<ChatMessage[]>;
  patronTokenValid(token: string): Promise<boolean>;
  claim(librarian: LibrarianRef, allowedQueueIds: string[]): Promise<ClaimResult>;
  end(input: EndChat): Promise<EndResult>;
  leaveQuestion(token: string, email: string, name: string | null, details: string | null): Promise<EndResult>;
  handBack(librarianId: string): Promise<HandBackResult>;
  erase(): Promise<{ ok: boolean }>;
  offerTransfer(input: TransferOffer): Promise<TransferResult>;
  cancelTransfer(librarianId: string): Promise<TransferResult>;
  declineTransfer(librarianId: string): Promise<TransferResult>;
  internalNotes(): Promise<InternalNote[]>;
  queueUnstaffed(queueId: string): Promise<void>;
  pushTarget(): Promise<PushTargetInfo | null>;
  pushPage(input: { librarianId: string; clientId: string; page: PushedPage; body: string }): Promise<PushResult>;
  revokeAccess(librarianId: string, signInKeys: string[] | null): Promise<{ closed: number }>;
  attachFile(input: { from: FileSender; clientId: string; file: SharedFile }): Promise<FileResult>;
  setFilesAllowed(librarianId: string, allowed: boolean): Promise<{ ok: true; session: SessionView } | Refusal>;
  inviteConsultant(input: ConsultInvitation): Promise<ConsultResult>;
  joinConsult(librarian: LibrarianRef): Promise<ConsultResult>;
  declineConsult(librarianId: string): Promise<ConsultResult>;
  leaveConsult(librarianId: string): Promise<ConsultResult>;
}

/** The queue object's RPC surface (one object per library or group queue). */
export interface RequestQueueApi extends UpgradeTarget {
  offer(request: QueuedRequest, options?: OfferOptions): Promise<{ staffed: boolean }>;
  staffing(): Promise<{ staffed: boolean }>;
  updateRequest(request: QueuedRequest): Promise<void>;
  removeRequest(sessionId: string, reason: RemovalReason, by: { id: string; name: string } | null): Promise<void>;
  offerTransfer(request: QueuedRequest, opts: { fromLibrarianId: string; toLibrarianId: string | null }): Promise<{ staffed: boolean }>;
  snapshot(): Promise<{ requests: QueuedRequest[]; monitors: Monitor[]; staffed: boolean }>;
  monitors(): Promise<Monitor[]>;
  tellLibrarian(librarianId: string, message: DirectMessage): Promise<void>;
  disconnectLibrarian(librarianId: string): Promise<{ closed: number }>;
  revokeAccess(librarianId: string, signInKeys: string[] | null): Promise<{ closed: number }>;
}
