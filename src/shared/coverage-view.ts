/**
 * What GET /api/coverage/now answers, for the monitor: whose shift it is now
 * and next on each cooperative queue, and the librarian's own shift alert
 * (src/coverage/monitor-coverage.ts). Types only.
 */

export interface ShiftView {
  libraryId: string;
  libraryName: string;
  startsAt: string;
  endsAt: string;
  /** The shift as written, in its own zone. */
  rule: string;
  /** This occurrence on the viewer's library's clock, e.g. "Mon 18:00–22:00". */
  local: string;
}

export interface ShiftAlertView {
  groupId: string;
  groupName: string;
  queueId: string;
  startsAt: string;
  endsAt: string;
  local: string;
  message: string;
}

export interface GroupCoverageView {
  groupId: string;
  groupName: string;
  queueId: string;
  timeZone: string;
  current: ShiftView | null;
  next: ShiftView | null;
  alert: ShiftAlertView | null;
}
