/**
 * Scheduled but unstaffed: the parts of each shift in which nobody from the
 * scheduled library was monitoring the cooperative queue. Pure: the shifts'
 * occurrences and the stretches monitored come in (./monitor-coverage.ts
 * reads them from the schedule and monitoring_spans).
 */

export interface Interval {
  start: number;
  end: number;
}

export interface Gap extends Interval {
  libraryId: string;
}

/** `within` less every interval of `cover`. */
export function uncovered(within: Interval, cover: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let from = within.start;
  for (const c of [...cover].sort((a, b) => a.start - b.start)) {
    if (c.end <= from) continue;
    if (c.start >= within.end) break;
    if (c.start > from) out.push({ start: from, end: Math.min(c.start, within.end) });
    from = Math.max(from, c.end);
    if (from >= within.end) break;
  }
  if (from < within.end) out.push({ start: from, end: within.end });
  return out;
}

/**
 * The unstaffed stretches of each shift up to `now`: a shift's library must
 * have someone monitoring; stretches shorter than `minimumMs` (a reconnection,
 * a late minute) are not listed. Newest first.
 */
export function unstaffedGaps(shifts: readonly (Interval & { libraryId: string })[], monitored: readonly (Interval & { libraryId: string })[], now: number, minimumMs: number): Gap[] {
  const gaps: Gap[] = [];
  for (const shift of shifts) {
    if (shift.start >= now) continue;
    const within = { start: shift.start, end: Math.min(shift.end, now) };
    const cover = monitored.filter((m) => m.libraryId === shift.libraryId);
    for (const g of uncovered(within, cover)) if (g.end - g.start >= minimumMs) gaps.push({ ...g, libraryId: shift.libraryId });
  }
  return gaps.sort((a, b) => b.start - a.start);
}
