/**
 * The coverage schedule at work: what the monitor shows (whose shift it is now
 * and next on each cooperative queue, and an alert when it is the librarian's
 * own library's shift and they are not online on it), and the scheduled but
 * unstaffed hours a group's administrators see. The time is passed in, so
 * tests move it instead of waiting.
 */
import { and, eq, gt, lt } from "drizzle-orm";
import type { Librarian } from "../auth/librarian";
import { groupsOfLibrary } from "../coop/groups";
import { database } from "../db/client";
import { monitoringSpans } from "../db/schema";
import { requestQueue } from "../objects";
import { groupQueueId } from "../queues/queue-ids";
import { TIMING } from "../shared/limits";
import { shiftAlert, type ShiftAlert } from "./alerts";
import { unstaffedGaps } from "./gaps";
import { formatSpanInZone, occurrences } from "./schedule";
import { coverageNow, loadShifts, type CoverageNow } from "./store";

export interface GroupCoverage extends CoverageNow {
  groupName: string;
  queueId: string;
  alert: ShiftAlert | null;
}

/** Every group of the librarian's library, in roll-over order: whose shift now and next, and the librarian's alert. */
export async function monitorCoverage(env: Env, librarian: Librarian, viewerZone: string, now: number): Promise<GroupCoverage[]> {
  const groups = await groupsOfLibrary(env.DB, librarian.libraryId);
  return Promise.all(
    groups.map(async (g) => {
      const coverage = await coverageNow(env.DB, g.id, now, viewerZone);
      const queueId = groupQueueId(g.id);
      // Presence is asked only when the shift is this librarian's library's: the one case that can alert.
      const ours = coverage.current?.libraryId === librarian.libraryId;
      const monitors = ours ? (await requestQueue(env, queueId).snapshot()).monitors : [];
      return { ...coverage, groupName: g.name, queueId, alert: ours ? shiftAlert(librarian, { groupId: g.id, groupName: g.name, queueId, current: coverage.current }, monitors) : null };
    }),
  );
}

/** Stretches shorter than this are not listed as unstaffed (a reconnection, a late minute). */
export const GAP_MINIMUM_MS = 5 * 60_000;

export interface CoverageGap {
  libraryId: string;
  libraryName: string;
  startsAt: string;
  endsAt: string;
  minutes: number;
  /** On the viewer's library's clock, e.g. "Mon 18:00–19:30". */
  local: string;
}

/**
 * The scheduled but unstaffed stretches of a group's queue from `from` to
 * `now`. Monitoring that has ended is in monitoring_spans; someone monitoring
 * right now is counted from the end of their last recorded stretch on the
 * queue (at most one sign-in, 12 hours, back) — the queue does not say when
 * their current stretch began.
 */
export async function coverageGaps(env: Env, groupId: string, from: number, now: number, viewerZone: string): Promise<CoverageGap[]> {
  const db = database(env.DB);
  const queueId = groupQueueId(groupId);
  const [shifts, spans, snapshot] = await Promise.all([
    loadShifts(env.DB, groupId),
    db
      .select({ librarianId: monitoringSpans.librarianId, libraryId: monitoringSpans.libraryId, start: monitoringSpans.startedAt, end: monitoringSpans.endedAt })
      .from(monitoringSpans)
      .where(and(eq(monitoringSpans.queueId, queueId), lt(monitoringSpans.startedAt, now), gt(monitoringSpans.endedAt, from - TIMING.authSessionMs)))
      .all(),
    requestQueue(env, queueId).snapshot(),
  ]);
  const live = snapshot.monitors.map((m) => {
    const lastEnd = Math.max(0, ...spans.filter((s) => s.librarianId === m.librarianId).map((s) => s.end));
    return { libraryId: m.libraryId, start: Math.max(lastEnd, now - TIMING.authSessionMs), end: now };
  });
  const occurring = shifts.flatMap((rule, i) => occurrences(rule, i, from, now).map((o) => ({ libraryId: rule.libraryId, start: Math.max(o.start, from), end: o.end })));
  const nameOf = new Map(shifts.map((s) => [s.libraryId, s.libraryName]));
  return unstaffedGaps(occurring, [...spans, ...live], now, GAP_MINIMUM_MS).map((g) => ({
    libraryId: g.libraryId,
    libraryName: nameOf.get(g.libraryId) ?? g.libraryId,
    startsAt: new Date(g.start).toISOString(),
    endsAt: new Date(g.end).toISOString(),
    minutes: Math.round((g.end - g.start) / 60_000),
    local: formatSpanInZone(viewerZone, g.start, g.end),
  }));
}
