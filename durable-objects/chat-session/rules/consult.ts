/**
 * Consults: the librarian who owns a chat invites a colleague to help, as a
 * second librarian in the same chat. The colleague is offered it on a queue
 * they monitor, joins (the patron sees who joined), writes like the owner,
 * and leaves when done. One librarian still owns the chat: only the owner
 * transfers it, co-browses, pushes pages and ends it.
 */
import type { ConsultInvitation, LibrarianRef } from "../../../src/objects/contracts";
import { CLOSE_CODES } from "../../../src/shared/close-codes";
import { TIMING } from "../../../src/shared/limits";
import type { Refusal } from "../../../src/objects/contracts";
import { isInChat, isOver, type ConsultInvite, type SessionState } from "../session-state";
import { decide, refuse, type Decision, type Verdict } from "./decision";

/** The owner invites a colleague; stored first, so the colleague can join as soon as they see it. */
export function inviteConsultant(s: SessionState, input: ConsultInvitation, id: string, now: number): (Decision & { invite: ConsultInvite }) | Refusal {
  if (s.librarian?.id !== input.from.id) return refuse("forbidden", "Only the librarian who owns this chat can invite a colleague.");
  if (isOver(s)) return refuse("session_ended", "This chat has ended.");
  if (s.status !== "active") return refuse("not_active", "The patron has left this chat.");
  if (isInChat(s, input.to.id)) return refuse("validation_failed", `${input.to.name} is already in this chat.`, { field: "librarianId" });
  if (s.consultInvite) return refuse("not_active", `${s.consultInvite.to.name} has been invited already; wait for an answer.`);
  const invite: ConsultInvite = { id, from: input.from, to: input.to, queueId: input.queueId, expiresAt: now + TIMING.transferOfferMs };
  return { ...decide({ ...s, consultInvite: invite }, [{ kind: "status" }]), invite };
}

/** Nobody could be shown the invitation (the colleague stopped monitoring meanwhile): it is taken back. */
export function consultNotShown(s: SessionState, invite: ConsultInvite): Decision {
  return s.consultInvite?.id === invite.id ? decide({ ...s, consultInvite: null }, [{ kind: "status" }]) : decide(s);
}

/** The invited colleague joins: the patron is told who joined; the invitation leaves their queue. */
export function joinConsult(s: SessionState, librarian: LibrarianRef): Verdict {
  const invite = s.consultInvite;
  if (!invite || invite.to.id !== librarian.id) return refuse("forbidden", "You have not been invited to this chat.");
  if (s.status !== "active") return isOver(s) ? refuse("session_ended", "This chat has ended.") : refuse("not_active", "The patron has left this chat.");
  const consultants = [...(s.consultants ?? []), librarian];
  return decide(
    { ...s, consultants, consultInvite: null },
    [{ kind: "line", line: { key: "joinedToHelp", params: { name: librarian.name, owner: invite.from.name } } }, { kind: "status" }],
    [{ kind: "withdraw", queueIds: [invite.queueId], reason: "accepted", by: { id: librarian.id, name: librarian.name } }],
  );
}

/** The invited colleague says no; the owner sees the invitation gone. */
export function declineConsult(s: SessionState, librarianId: string): Verdict {
  const invite = s.consultInvite;
  if (!invite || invite.to.id !== librarianId) return refuse("forbidden", "You have not been invited to this chat.");
  return decide({ ...s, consultInvite: null }, [{ kind: "status" }], [{ kind: "withdraw", queueIds: [invite.queueId], reason: "withdrawn", by: null }]);
}

/** An invitation nobody answered in time lapses. */
export function consultInviteExpired(s: SessionState, now: number): Decision {
  const invite = s.consultInvite;
  if (!invite || now < invite.expiresAt) return decide(s);
  return decide({ ...s, consultInvite: null }, [{ kind: "status" }], [{ kind: "withdraw", queueIds: [invite.queueId], reason: "withdrawn", by: null }]);
}

/** A consultant leaves (or the owner lets them go): the patron is told, and their sockets on the chat close. */
export function leaveConsult(s: SessionState, librarianId: string): Verdict {
  const leaving = (s.consultants ?? []).find((c) => c.id === librarianId);
  if (!leaving) return refuse("not_active", "This librarian is not consulting in this chat.");
  return decide({ ...s, consultants: (s.consultants ?? []).filter((c) => c.id !== librarianId) }, [
    { kind: "line", line: { key: "consultantLeft", params: { name: leaving.name } } },
    { kind: "status" },
    { kind: "close", sockets: { librarianId }, code: CLOSE_CODES.policy, reason: "consult ended" },
  ]);
}

/** A consultant who becomes the owner (the chat was transferred to them) no longer consults. */
export function withoutConsultant(s: SessionState, librarianId: string): SessionState {
  return (s.consultants ?? []).some((c) => c.id === librarianId) ? { ...s, consultants: (s.consultants ?? []).filter((c) => c.id !== librarianId) } : s;
}
