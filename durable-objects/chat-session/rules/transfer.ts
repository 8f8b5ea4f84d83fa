/**
 * Transfers. A transfer is an offer: the serving librarian keeps the chat
 * (and can keep chatting) until the new librarian accepts it (through claim),
 * the offer is declined or cancelled, or TIMING.transferOfferMs passes — then
 * it stays where it was. So a patron is never left without a librarian.
 */
import type { Refusal, TransferOffer } from "../../../src/objects/contracts";
import { TIMING } from "../../../src/shared/limits";
import type { SystemLine } from "../../../src/shared/system-lines";
import { isOver, transferTargetName, type PendingTransfer, type SessionState } from "../session-state";
import { decide, refuse, type Decision, type Verdict } from "./decision";

/** Offers the chat; the offer's queue joins the chat's queues, so whoever staffs it passes claim's tenancy check. */
export function offerTransfer(s: SessionState, input: TransferOffer, id: string, now: number): (Decision & { transfer: PendingTransfer }) | Refusal {
  if (s.librarian?.id !== input.from.id) return refuse("forbidden", "Only the librarian serving this chat can transfer it.");
  if (isOver(s)) return refuse("session_ended", "This chat has ended.");
  if (s.status !== "active") return refuse("not_active", "The patron has left this chat; end it with its codes instead.");
  if (s.transfer) return refuse("not_active", `This chat is already being transferred to ${transferTargetName(s.transfer.to)}; cancel that first.`);
  if (input.to.kind === "librarian" && input.to.librarian.id === input.from.id) {
    return refuse("validation_failed", "You are already serving this chat.", { field: "to.librarianId" });
  }
  const transfer: PendingTransfer = { id, from: input.from, to: input.to, queueId: input.queueId, note: input.note, expiresAt: now + TIMING.transferOfferMs };
  const queueIds = s.queueIds.includes(input.queueId) ? s.queueIds : [...s.queueIds, input.queueId];
  return { ...decide({ ...s, transfer, queueIds }), transfer };
}

/** The offer was shown to somebody: the patron is told, unless the new librarian already accepted meanwhile. */
export function transferShown(s: SessionState, t: PendingTransfer): Decision {
  const note = t.note ? [{ kind: "internal-note" as const, author: { id: t.from.id, name: t.from.name }, body: t.note }] : [];
  if (s.transfer?.id !== t.id) return decide(s, note);
  return decide(s, [...note, { kind: "line", line: { key: "transferring", params: { name: t.to.kind === "librarian" ? t.to.librarian.name : t.to.queueName } } }, { kind: "status" }]);
}

/** The offer was shown to nobody, so nobody could have claimed it: everything goes back as it was. */
export function transferNotShown(s: SessionState, t: PendingTransfer, queueIdsBefore: readonly string[]): Decision {
  return decide(s.transfer?.id === t.id ? { ...s, transfer: null, queueIds: [...queueIdsBefore] } : s);
}

/** What the librarian offering the chat is told when nobody could be shown the offer. */
export function nobodyToTakeIt(t: PendingTransfer): Refusal<"not_found"> {
  const where = t.to.kind === "librarian" ? `${t.to.librarian.name} is not monitoring` : `Nobody else is monitoring ${t.to.queueName}`;
  return refuse("not_found", `${where} right now.`, { field: t.to.kind === "librarian" ? "to.librarianId" : "to.queueId" });
}

/** Ends an offer without a taker: the chat stays with the librarian who offered it, and both sides are told. */
function takeBack(s: SessionState, t: PendingTransfer, told: SystemLine): Decision {
  if (s.transfer?.id !== t.id) return decide(s);
  return decide({ ...s, transfer: null }, [{ kind: "line", line: told }, { kind: "status" }], [{ kind: "withdraw", queueIds: [t.queueId], reason: "withdrawn", by: null }]);
}

export function cancelTransfer(s: SessionState, librarianId: string): Verdict {
  if (s.librarian?.id !== librarianId) return refuse("forbidden", "Only the librarian serving this chat can cancel its transfer.");
  if (!s.transfer) return refuse("not_active", "This chat is not being transferred.");
  return takeBack(s, s.transfer, { key: "stillWithYou", params: { name: s.transfer.from.name } });
}

export function declineTransfer(s: SessionState, librarianId: string): Verdict {
  const t = s.transfer;
  if (!t || t.to.kind !== "librarian" || t.to.librarian.id !== librarianId) return refuse("forbidden", "This chat is not being offered to you.");
  return takeBack(s, t, { key: "couldNotTake", params: { to: t.to.librarian.name, from: t.from.name } });
}

/** Nobody accepted the offer in time. */
export function transferExpired(s: SessionState, now: number): Decision {
  const t = s.transfer;
  if (s.status !== "active" || !t || now < t.expiresAt) return decide(s);
  return takeBack(s, t, { key: "nobodyCouldTake", params: { name: t.from.name } });
}
