/**
 * A question's history row past retention. The row's `detail` (JSON written by
 * src/questions/actions.ts and file-session.ts) keeps what tells the story in
 * codes and staff — statuses, resolution and descriptive codes, the source,
 * who was assigned, the ids that key a mail — and loses everything else: the
 * follow-up answer's body and the address it went to, a note's body, the end
 * note. Listed by what stays, so a key added later is removed until someone
 * decides it may stay.
 */
import { REMOVED_TEXT } from "./redact";

/** Keys of `question_events.detail` that hold no personal data (codes, statuses, librarians, ids). */
const KEPT_KEYS = new Set([
  "from",
  "to",
  "status",
  "resolution",
  "descriptiveCodes",
  "source",
  "assigneeId",
  "assigneeName",
  "previousAssigneeId",
  "previousAssigneeName",
  "requestId",
  "eventKey",
]);

const removedValue = (value: unknown) => (typeof value === "string" && value !== "" ? REMOVED_TEXT : null);

/** Whether `detail` still holds something the scrub removes. */
export function eventDetailHasText(detail: Record<string, unknown>): boolean {
  return Object.entries(detail).some(([key, value]) => !KEPT_KEYS.has(key) && value !== removedValue(value));
}

/** `detail` with every key not kept emptied: text becomes REMOVED_TEXT (a note still shows it was there), anything else null. */
export function scrubEventDetail(detail: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(detail).map(([key, value]) => [key, KEPT_KEYS.has(key) ? value : removedValue(value)]));
}
