/**
 * How a chat begins and ends: the request waits; nobody is there (unavailable)
 * or nobody comes in time; the patron leaves or leaves the question by e-mail;
 * the librarian ends it with codes; a librarian who can no longer serve hands
 * it back. Every ending files the chat exactly once (filing is idempotent).
 */
import type { EndChat, StartChat } from "../../../src/objects/contracts";
import { unansweredResolution } from "../../../src/questions/routing";
import { CLOSE_CODES } from "../../../src/shared/close-codes";
import { TIMING } from "../../../src/shared/limits";
import type { SystemLine } from "../../../src/shared/system-lines";
import { ABANDON_AFTER_MS, idleEndAt, initialState, patronGoneDeadline, patronNameOf, type SessionState } from "../session-state";
import { stopCobrowse } from "./cobrowse";
import { andThen, decide, refuse, type Decision, type SessionOutput, type Verdict } from "./decision";

const closeAllEnded: SessionOutput = { kind: "close", sockets: "all", code: CLOSE_CODES.sessionEnded, reason: "session ended" };

/** A new request: waiting in its form's queue, the question as the patron's first message. */
export function startSession(init: StartChat, now: number): Decision {
  const s = initialState(init, now);
  return decide(s, [{ kind: "patron-text", name: patronNameOf(s), body: init.question }]);
}

/** Nobody who could take the request is monitoring (or came within the wait limit): the patron is told to go elsewhere. */
export function markUnavailable(s: SessionState, now: number): Decision {
  if (s.status !== "waiting") return decide(s);
  return decide(
    { ...s, status: "unavailable", abandonAt: now + ABANDON_AFTER_MS, rolloverAt: null },
    [{ kind: "status" }],
    [
      { kind: "withdraw", queueIds: s.queueIds, reason: "unavailable", by: null },
      { kind: "mirror", patch: { status: "unavailable" }, urgency: "now" },
    ],
  );
}

/** The wait limit passed with nobody accepting. */
export function waitLimitPassed(s: SessionState, now: number): Decision {
  return s.status === "waiting" && now >= s.waitLimitAt ? markUnavailable(s, now) : decide(s);
}

/** A patron told chat is unavailable who does nothing is filed, unanswered, after a while. */
export function abandonUnavailable(s: SessionState, now: number): Decision {
  if (s.status !== "unavailable" || !s.abandonAt || now < s.abandonAt) return decide(s);
  return decide({ ...s, status: "ended", endedAt: now, resolution: unansweredResolution(s.patronEmail) }, [{ kind: "status" }, closeAllEnded], [{ kind: "file" }]);
}

/** The serving librarian ends the chat with its codes. Ending again with the same codes changes nothing. */
export function endByLibrarian(s: SessionState, input: EndChat, now: number): Verdict {
  if (s.librarian?.id !== input.librarianId) return refuse("forbidden", "Only the librarian serving this chat can end it.");
  if (s.status === "ended") {
    const same = s.resolution === input.resolution && JSON.stringify(s.descriptiveCodes) === JSON.stringify(input.descriptiveCodes);
    return same ? decide(s) : refuse("session_ended", "This chat has already ended.");
  }
  if (s.status !== "active" && s.status !== "patron_left") return refuse("not_active", "This chat is not in progress.");
  const librarianName = s.librarian.name;
  const transfer = s.transfer;
  return andThen(stopCobrowse(s, "chatEnded"), (after) =>
    decide(
      { ...after, status: "ended", endedAt: now, resolution: input.resolution, descriptiveCodes: input.descriptiveCodes, note: input.note, transfer: null },
      [{ kind: "line", line: { key: "endedBy", params: { name: librarianName } } }, { kind: "status" }, closeAllEnded],
      // Ending while a transfer was on offer withdraws the offer.
      [...(transfer ? [{ kind: "withdraw" as const, queueIds: [transfer.queueId], reason: "withdrawn" as const, by: null }] : []), { kind: "file" }],
    ),
  );
}

/** What the patron gives when leaving the question by e-mail. */
export interface LeftQuestion {
  email: string;
  name: string | null;
  details: string | null;
}

/** The patron, with nobody answering, leaves the question to be answered by e-mail. */
export function leaveQuestion(s: SessionState, input: LeftQuestion, now: number): Verdict {
  if (s.status !== "unavailable" && s.status !== "waiting") {
    return refuse("not_active", "A question can be left by e-mail only while no librarian has answered.");
  }
  const patronName = input.name || s.patronName;
  return decide(
    { ...s, status: "ended", patronEmail: input.email, patronName, source: "email", resolution: "followup_by_library", endedAt: now, rolloverAt: null },
    [
      ...(input.details ? [{ kind: "patron-text" as const, name: patronName || "Patron", body: input.details }] : []),
      { kind: "line", line: { key: "leftByEmail" } },
      { kind: "status" },
      closeAllEnded,
    ],
    [...(s.status === "waiting" ? [{ kind: "withdraw" as const, queueIds: s.queueIds, reason: "withdrawn" as const, by: null }] : []), { kind: "file" }],
  );
}

/**
 * The patron leaves. In a chat, the librarian still codes and ends it; before
 * anybody answered, the request is withdrawn and filed unanswered.
 */
export function patronLeaves(s: SessionState, now: number): Decision {
  const named = (key: "patronLeft" | "patronLeftWaiting"): SystemLine =>
    s.patronName ? { key, params: { name: s.patronName } } : { key: key === "patronLeft" ? "patronLeftUnnamed" : "patronLeftWaitingUnnamed" };
  if (s.status === "active") {
    const transfer = s.transfer;
    return andThen(stopCobrowse(s, "patronLeft"), (after) =>
      decide(
        { ...after, status: "patron_left", transfer: null },
        [{ kind: "line", line: named("patronLeft") }, { kind: "status" }],
        [
          // Nobody should accept a transfer of a chat the patron has left: the serving librarian codes it.
          ...(transfer ? [{ kind: "withdraw" as const, queueIds: [transfer.queueId], reason: "withdrawn" as const, by: null }] : []),
          { kind: "mirror", patch: { status: "patron_left" }, urgency: "now" },
        ],
      ),
    );
  }
  if (s.status === "waiting" || s.status === "unavailable") {
    return decide(
      { ...s, status: "ended", endedAt: now, resolution: unansweredResolution(s.patronEmail), rolloverAt: null },
      [{ kind: "line", line: named("patronLeftWaiting") }, { kind: "status" }, closeAllEnded],
      [...(s.status === "waiting" ? [{ kind: "withdraw" as const, queueIds: s.queueIds, reason: "left" as const, by: null }] : []), { kind: "file" }],
    );
  }
  return decide(s);
}

/**
 * The serving librarian can no longer serve (their access ended). An active
 * chat goes back to waiting with a fresh wait limit, to be offered again; a
 * chat the patron already left is filed for follow-up by the home library.
 */
export function handBack(s: SessionState, librarianId: string, now: number): Verdict {
  if (s.librarian?.id !== librarianId || (s.status !== "active" && s.status !== "patron_left")) {
    return refuse("not_active", "This librarian is not serving this chat.");
  }
  const gone = s.librarian.name;
  // Whoever takes the chat next has not been given the patron's consent.
  const stopped = stopCobrowse(s, "noLongerAvailable", gone);
  if (s.status === "patron_left") {
    return andThen(stopped, (after) =>
      decide(
        { ...after, status: "ended", endedAt: now, resolution: "followup_by_library" },
        [{ kind: "line", line: { key: "goneFiled", params: { name: gone } } }, { kind: "status" }, closeAllEnded],
        [{ kind: "file" }],
      ),
    );
  }
  // The patron gets a fresh wait limit: the time they already waited was spent being served.
  const waitMs = s.waitLimitAt - s.createdAt;
  return andThen(stopped, (after) =>
    decide(
      // Consultants helped the librarian who is gone: they leave with them (their sockets close with every librarian's).
      { ...after, status: "waiting", librarian: null, acceptedAt: null, waitLimitAt: now + waitMs, transfer: null, consultants: [], consultInvite: null },
      [
        { kind: "close", sockets: "librarians", code: CLOSE_CODES.policy, reason: "handed back" },
        { kind: "line", line: { key: "goneBackInQueue", params: { name: gone } } },
        { kind: "status" },
      ],
      [
        // A transfer the gone librarian offered, or a colleague they invited, goes with them.
        ...(s.transfer ? [{ kind: "withdraw" as const, queueIds: [s.transfer.queueId], reason: "withdrawn" as const, by: null }] : []),
        ...(s.consultInvite ? [{ kind: "withdraw" as const, queueIds: [s.consultInvite.queueId], reason: "withdrawn" as const, by: null }] : []),
        { kind: "mirror", patch: { status: "waiting", librarianId: null, librarianName: null, answeringLibraryId: null, acceptedAt: null }, urgency: "now" },
      ],
    ),
  );
}

/**
 * A chat nobody wrote in for the library's idle time ends by itself — also one
 * the patron left that the librarian never ended — so it is filed, mailed as
 * the patron chose and scrubbed in time. Its resolution says so.
 */
export function endIdle(s: SessionState, lastMessageAt: number, now: number): Decision {
  const at = idleEndAt(s, lastMessageAt);
  if (at === null || now < at) return decide(s);
  const minutes = Math.round((s.idleEndMs ?? TIMING.idleEndMs) / 60_000);
  const transfer = s.transfer;
  return andThen(stopCobrowse(s, "chatEnded"), (after) =>
    decide(
      { ...after, status: "ended", endedAt: now, resolution: "auto_ended", transfer: null },
      [{ kind: "line", line: { key: "endedIdle", params: { minutes } } }, { kind: "status" }, closeAllEnded],
      [...(transfer ? [{ kind: "withdraw" as const, queueIds: [transfer.queueId], reason: "withdrawn" as const, by: null }] : []), { kind: "file" }],
    ),
  );
}

/** While waiting, the patron's last chat socket went away: they have TIMING.patronGoneMs to come back. */
export function patronSocketsGone(s: SessionState, now: number): Decision {
  return s.status === "waiting" && !s.patronGoneAt ? decide({ ...s, patronGoneAt: now }) : decide(s);
}

/** The patron is connected again. */
export function patronBack(s: SessionState): Decision {
  return s.patronGoneAt ? decide({ ...s, patronGoneAt: null }) : decide(s);
}

/** A waiting patron who did not come back has left: withdrawn and filed unanswered, like leaving. */
export function patronGoneForGood(s: SessionState, now: number): Decision {
  const deadline = patronGoneDeadline(s);
  return deadline !== null && now >= deadline ? patronLeaves({ ...s, patronGoneAt: null }, now) : decide(s);
}
