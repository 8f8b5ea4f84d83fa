/**
 * Accept-first. A request can be shown in several queues (the library's, a
 * cooperative's), so the one claim that wins is decided here, per request:
 * the first claim the object sees is stored before anything is awaited, and
 * every later claim reads it. A chat on offer for transfer is claimed by the
 * same rule, so a transfer is accepted exactly once too.
 */
import type { LibrarianRef } from "../../../src/objects/contracts";
import { CLOSE_CODES } from "../../../src/shared/close-codes";
import { nameInText } from "../../../src/shared/display-text";
import { isOver, type PendingTransfer, type SessionState } from "../session-state";
import { stopCobrowse } from "./cobrowse";
import { withoutConsultant } from "./consult";
import { andThen, decide, refuse, type Verdict } from "./decision";

export function claim(s: SessionState, librarian: LibrarianRef, allowedQueueIds: readonly string[], now: number): Verdict {
  // Tenancy first: a librarian who staffs none of this request's queues learns
  // nothing about it — not even whether, or by whom, it was taken.
  if (!s.queueIds.some((q) => allowedQueueIds.includes(q))) return refuse("forbidden", "This request is not in any queue you staff.");
  // A finished chat is "ended", not "taken", even though it once had a librarian.
  if (isOver(s)) return refuse("session_ended", "This chat has ended.");
  if (s.transfer) return claimTransfer(s, s.transfer, librarian, allowedQueueIds);
  if (s.librarian) return refuse("already_taken", `Already taken by ${nameInText(s.librarian.name)}.`, { by: s.librarian });
  if (s.status !== "waiting") return refuse("session_ended", "The patron is no longer waiting.");
  const by = { id: librarian.id, name: librarian.name };
  return decide(
    { ...s, status: "active", librarian, acceptedAt: now, rolloverAt: null, acceptedQueueId: s.queueIds.find((q) => allowedQueueIds.includes(q)) ?? null },
    [{ kind: "line", line: { key: "joined", params: { name: librarian.name } } }, { kind: "status" }],
    [
      { kind: "withdraw", queueIds: s.queueIds, reason: "accepted", by },
      {
        kind: "mirror",
        patch: { status: "active", librarianId: librarian.id, librarianName: librarian.name, answeringLibraryId: librarian.libraryId, acceptedAt: now },
        urgency: "now",
      },
    ],
  );
}

/** Accepting a chat on offer for transfer (after claim's tenancy check). */
function claimTransfer(s: SessionState, t: PendingTransfer, librarian: LibrarianRef, allowedQueueIds: readonly string[]): Verdict {
  if (librarian.id === t.from.id) return refuse("not_active", "You are transferring this chat. Cancel the transfer to keep it.");
  const offeredToMe = t.to.kind === "librarian" ? t.to.librarian.id === librarian.id : allowedQueueIds.includes(t.queueId);
  if (!offeredToMe || s.status !== "active" || !s.librarian) {
    const by = s.librarian ?? t.from;
    return refuse("already_taken", `Already taken by ${nameInText(by.name)}.`, { by });
  }
  const by = { id: librarian.id, name: librarian.name };
  // The patron agreed to share their page with the librarian they had, not with the new one.
  return andThen(stopCobrowse(s, "transferred"), (after) =>
    decide(
      { ...withoutConsultant(after, librarian.id), librarian, transfer: null },
      [
        { kind: "line", line: { key: "joined", params: { name: librarian.name } } },
        { kind: "status" },
        // The librarian who offered it was sent the new status first; now their sockets close.
        { kind: "close", sockets: { librarianId: t.from.id }, code: CLOSE_CODES.policy, reason: "transferred" },
      ],
      [
        { kind: "withdraw", queueIds: [t.queueId], reason: "accepted", by },
        { kind: "mirror", patch: { librarianId: librarian.id, librarianName: librarian.name, answeringLibraryId: librarian.libraryId }, urgency: "now" },
      ],
    ),
  );
}
