/**
 * Coverage in the monitor: whose shift it is on each cooperative queue the
 * librarian can see, and — when it is their own library's shift and nobody
 * from their library is online on that queue — an alert for each of the
 * library's librarians, from the shift's start until one of them is (or the
 * shift ends). Away counts as not online. Pure: the queue's presence and the
 * schedule come in; ./monitor-coverage.ts fetches them.
 */
import type { ShiftAlertView } from "../shared/coverage-view";
import type { Monitor } from "../shared/protocol";
import type { ShiftView } from "../shared/coverage-view";

/** A shift of the librarian's library that they are missing (what the monitor shows: src/shared/coverage-view.ts). */
export type ShiftAlert = ShiftAlertView;

/** Whether someone from the library counts as online on a queue: monitoring it, and not away. */
export function libraryOnline(monitors: readonly Monitor[], libraryId: string): boolean {
  return monitors.some((m) => m.libraryId === libraryId && m.status !== "away");
}

/** The alert for one group's current shift, or null (not this library's shift, or someone from it is online on it). */
export function shiftAlert(librarian: { libraryId: string }, group: { groupId: string; groupName: string; queueId: string; current: ShiftView | null }, monitors: readonly Monitor[]): ShiftAlert | null {
  const shift = group.current;
  if (!shift || shift.libraryId !== librarian.libraryId || libraryOnline(monitors, librarian.libraryId)) return null;
  return {
    groupId: group.groupId,
    groupName: group.groupName,
    queueId: group.queueId,
    startsAt: shift.startsAt,
    endsAt: shift.endsAt,
    local: shift.local,
    message: `Your library's shift on ${group.groupName} (${shift.local}) has begun, and nobody from your library is online on it.`,
  };
}
