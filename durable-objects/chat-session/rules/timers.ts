/**
 * Every timer of a chat session is the one alarm (the only timer that
 * survives hibernation): this says when it is next due.
 */
import { patronGoneDeadline, type SessionState } from "../session-state";

/** Timers kept outside the session state: sockets that must say hello, a D1 mirror waiting to be written, the librarians' sign-in re-check. */
export interface OtherDeadlines {
  helloDeadlines: readonly number[];
  mirrorDueAt: number | null;
  accessCheckAt?: number | null;
  /** When the chat ends by itself if nobody writes (from its last message). */
  idleEndAt?: number | null;
}

/** The earliest time anything is due, or null when nothing is. */
export function nextAlarmAt(s: SessionState | null, other: OtherDeadlines): number | null {
  const due: number[] = [...other.helloDeadlines];
  if (other.mirrorDueAt !== null) due.push(other.mirrorDueAt);
  if (other.accessCheckAt != null) due.push(other.accessCheckAt);
  if (other.idleEndAt != null) due.push(other.idleEndAt);
  const gone = s ? patronGoneDeadline(s) : null;
  if (gone !== null) due.push(gone);
  if (s?.status === "waiting") {
    due.push(s.waitLimitAt);
    if (s.rolloverAt) due.push(s.rolloverAt);
  }
  if (s?.status === "unavailable" && s.abandonAt) due.push(s.abandonAt);
  if (s?.status === "ended" && !s.filed && s.fileRetryAt) due.push(s.fileRetryAt);
  if (s?.status === "active" && s.transfer) due.push(s.transfer.expiresAt);
  if (s?.consultInvite) due.push(s.consultInvite.expiresAt);
  if (s?.cobrowse?.status === "paused" && s.cobrowse.resumeBy) due.push(s.cobrowse.resumeBy);
  return due.length > 0 ? Math.min(...due) : null;
}

/** How long filing waits before trying again after `attempts` failures: doubling from 4 s, at most 10 minutes. */
export function fileRetryDelayMs(attempts: number): number {
  return Math.min(600_000, 2_000 * 2 ** attempts);
}
