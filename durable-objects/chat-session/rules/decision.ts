/**
 * The shape of every session rule's answer. A rule is a pure function
 * (state, input, now) → Verdict: either a refusal (nothing changes) or a
 * decision — the next state, what everyone connected is told at once (in
 * order), and the effects that follow. The commit step stores the state and
 * sends the outputs in the same turn, before any effect is awaited.
 */
import type { LibrarianRef, Refusal, RemovalReason } from "../../../src/objects/contracts";
import type { ErrorCode } from "../../../src/shared/protocol";
import type { SystemLine } from "../../../src/shared/system-lines";
import type { SessionState } from "../session-state";

/** What everyone connected learns, synchronously, in this order, after the state is stored. */
export type SessionOutput =
  /** A system line in the transcript ("Lisa has joined the chat."), as a key each reader's language can show. */
  | { kind: "line"; line: SystemLine }
  /** Something the patron wrote outside a socket (the opening question, details left with an e-mailed question). */
  | { kind: "patron-text"; name: string; body: string }
  /** The session view, to both sides. */
  | { kind: "status" }
  /** Where co-browsing stands, to both sides. */
  | { kind: "cobrowse" }
  /** The transcript choice, to the patron's sockets. */
  | { kind: "transcript" }
  /** The co-browse check, to the librarians' sockets. */
  | { kind: "check" }
  /** The sharing page is told co-browsing is over, and its stream socket closes. */
  | { kind: "stop-sharing"; reason: string }
  /** An internal note among librarians; never shown to the patron. */
  | { kind: "internal-note"; author: { id: string; name: string }; body: string }
  | { kind: "close"; sockets: "all" | "librarians" | { librarianId: string }; code: number; reason: string };

/** What follows the commit, awaited: calls to queue objects and D1. */
export type SessionEffect =
  /** Take the request off these queues, telling their monitors why. */
  | { kind: "withdraw"; queueIds: string[]; reason: RemovalReason; by: { id: string; name: string } | null }
  /** Mirror the live state into the D1 session row (retried, never failing the decision). */
  | { kind: "mirror"; patch: SessionRowPatch; urgency: "now" | "soon" }
  /** File the ended session: transcript, question, mail. */
  | { kind: "file" }
  /** Show the patron's newest waiting-time lines in every queue that shows the request. */
  | { kind: "refresh-preview" };

/** The columns of the D1 session row that mirror live state. */
export interface SessionRowPatch {
  status?: string;
  librarianId?: string | null;
  librarianName?: string | null;
  answeringLibraryId?: string | null;
  acceptedAt?: number | null;
  transcriptOptOut?: boolean;
  patronEmail?: string | null;
  /** Filing failed this many times, last at this time (the service health page lists such chats; filing clears them). */
  filingAttempts?: number | null;
  filingFailedAt?: number | null;
}

export interface Decision {
  ok: true;
  next: SessionState;
  outputs: SessionOutput[];
  effects: SessionEffect[];
}

export type Verdict = Decision | Refusal;

/** A decision; `next` equal to the current state and no outputs is a decision to change nothing. */
export function decide(next: SessionState, outputs: SessionOutput[] = [], effects: SessionEffect[] = []): Decision {
  return { ok: true, next, outputs, effects };
}

export function refuse<C extends ErrorCode>(code: C, message: string, extra: { field?: string; by?: LibrarianRef } = {}): Refusal<C> {
  return { ok: false, code, message, ...extra };
}

/** A decision followed by another made on its resulting state: outputs and effects in order. */
export function andThen(first: Decision, then: (s: SessionState) => Decision): Decision {
  const second = then(first.next);
  return decide(second.next, [...first.outputs, ...second.outputs], [...first.effects, ...second.effects]);
}
