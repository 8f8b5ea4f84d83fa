/**
 * Planning, by hour of the week, side by side: demand (requests), staffing
 * (librarians monitoring, on average), failures (turned away, abandoned, long
 * waits), the coverage schedule with the scheduled hours nobody staffed — and
 * where patrons were lost and what staffing would have reached them: a patron
 * lost in an hour nobody monitored is one a single librarian would have reached.
 */
import { and, between, eq, inArray, sum } from "drizzle-orm";
import { occurrences, type ShiftRule } from "../../coverage/schedule";
import { ZoneOffsets, type OffsetLookup } from "../../coverage/zoned-time";
import { database } from "../../db/client";
import { coverageShifts, libraries, statPresenceHours } from "../../db/schema";
import { groupQueueId } from "../../queues/queue-ids";
import type { StatTable } from "../../shared/stats-api";
import { countWithin, LONG_WAIT_S, staffingNeeded, WAIT_BINS } from "../definitions";
import { hourCells, type CellQuery } from "../cells";
import { lostWhileUnmonitored, presenceHourCells } from "../presence-cells";
import { DAY_MS, HOUR_MS, localCell, weekdayOf } from "../local-time";
import { series } from "../measures";
import { localHourPieces } from "../presence";
import { col, hourLabel, table, WEEKDAY_NAMES, weekdayCounts } from "./common";

interface HourOfWeek {
  requests: number;
  answered: number;
  durationMs: number;
  turnedAway: number;
  abandoned: number;
  longWaits: number;
  lostUnstaffed: number;
  monitoredMs: number;
  scheduled: number;
  unstaffed: number;
}

const empty = (): HourOfWeek => ({ requests: 0, answered: 0, durationMs: 0, turnedAway: 0, abandoned: 0, longWaits: 0, lostUnstaffed: 0, monitoredMs: 0, scheduled: 0, unstaffed: 0 });
const round2 = (n: number) => Math.round(n * 100) / 100;

/** The coverage shifts that concern the scope: its library's (in any cooperative), or the cooperative's. */
async function shiftsOf(cq: CellQuery): Promise<(ShiftRule & { groupId: string })[]> {
  const db = database(cq.d1);
  const where = cq.scope.kind === "group" ? eq(coverageShifts.groupId, cq.scope.id) : eq(coverageShifts.libraryId, cq.scope.library?.id ?? cq.scope.libraries[0]!.id);
  return db
    .select({ groupId: coverageShifts.groupId, libraryId: coverageShifts.libraryId, timeZone: coverageShifts.timeZone, weekday: coverageShifts.weekday, startMinute: coverageShifts.startMinute, endMinute: coverageShifts.endMinute, endsNextDay: coverageShifts.endsNextDay })
    .from(coverageShifts)
    .where(cq.scope.kind === "group" && cq.scope.library ? and(where, eq(coverageShifts.libraryId, cq.scope.library.id)) : where)
    .all();
}

/**
 * Each scheduled calendar hour (report zone, key day×24+hour) and whether the
 * scheduled library's librarians were on the cooperative's queue in it.
 */
async function scheduledHours(cq: CellQuery): Promise<Map<number, boolean>> {
  const shifts = await shiftsOf(cq);
  const hours = new Map<number, boolean>();
  if (shifts.length === 0) return hours;
  const w = cq.window;
  const db = database(cq.d1);
  const libraryIds = [...new Set(shifts.map((s) => s.libraryId))];
  const zones = await db.select({ id: libraries.id, timeZone: libraries.timeZone }).from(libraries).where(inArray(libraries.id, libraryIds)).all();
  const zoneOf = new Map(zones.map((z) => [z.id, z.timeZone]));
  // A year of shifts is thousands of local times: each zone's offsets are read once, not once per instant.
  const offsets = new Map<string, OffsetLookup>();
  const offsetsOf = (zone: string) => {
    let lookup = offsets.get(zone);
    if (!lookup) offsets.set(zone, (lookup = new ZoneOffsets(zone, w.fromMs - 3 * DAY_MS, w.toMs + 3 * DAY_MS).lookup));
    return lookup;
  };
  // Every scheduled piece: its hour in the report's zone, and the hour of the library's own zone its presence is kept in.
  const pieces = shifts.flatMap((shift, i) =>
    occurrences(shift, i, w.fromMs, w.toMs, offsetsOf(shift.timeZone)).flatMap((o) =>
      localHourPieces(w.zone, Math.max(o.start, w.fromMs), Math.min(o.end, w.toMs), offsetsOf(w.zone)).map((piece) => {
        const libraryZone = zoneOf.get(shift.libraryId) ?? w.zone;
        return { key: piece.day * 24 + piece.hour, shift, there: localCell(libraryZone, piece.start, offsetsOf(libraryZone)) };
      }),
    ),
  );
  // Only the shift libraries' time on their cooperative's queue, in the hours of the day their shifts run
  // (one query per shift library, all at once).
  const staffed = new Set<string>();
  const perLibrary = libraryIds.map(async (libraryId) => {
    const mine = pieces.filter((p) => p.shift.libraryId === libraryId);
    const localHours = [...new Set(mine.map((p) => p.there.hour))];
    const rows = await db
      .select({ queueId: statPresenceHours.queueId, day: statPresenceHours.localDay, hour: statPresenceHours.localHour, ms: sum(statPresenceHours.queueMs) })
      .from(statPresenceHours)
      .where(
        and(
          eq(statPresenceHours.libraryId, libraryId),
          between(statPresenceHours.localDay, w.fromDay - 1, w.toDay + 1),
          inArray(statPresenceHours.localHour, localHours),
          inArray(statPresenceHours.queueId, [...new Set(mine.map((p) => groupQueueId(p.shift.groupId)))]),
        ),
      )
      .groupBy(statPresenceHours.queueId, statPresenceHours.localDay, statPresenceHours.localHour)
      .all();
    for (const r of rows) if (Number(r.ms ?? 0) > 0) staffed.add(`${libraryId}|${r.queueId}|${r.day}|${r.hour}`);
  });
  await Promise.all(perLibrary);
  for (const p of pieces) {
    const covered = staffed.has(`${p.shift.libraryId}|${groupQueueId(p.shift.groupId)}|${p.there.day}|${p.there.hour}`);
    hours.set(p.key, (hours.get(p.key) ?? true) && covered);
  }
  return hours;
}

/** What planning reads of each hour of the week: demand, failures, and the bins that tell long waits. */
const WEEK_COLUMNS = ["requests", "answered", "duration_sum_ms", "turned_away", "abandoned", ...Array.from({ length: WAIT_BINS }, (_, i) => `w${i}`)];

export async function planningReport(cq: CellQuery): Promise<StatTable[]> {
  const [weekCells, lostUnmonitored, presence, scheduled] = await Promise.all([
    hourCells(cq, "weekday-hour", WEEK_COLUMNS),
    lostWhileUnmonitored(cq),
    presenceHourCells(cq, "weekday-hour"),
    scheduledHours(cq),
  ]);
  const week = Array.from({ length: 168 }, empty);
  const at = (day: number, hour: number) => week[(weekdayOf(day) - 1) * 24 + hour]!;
  for (const c of weekCells) {
    const h = week[(c.weekday - 1) * 24 + c.hour]!;
    h.requests += c.m.requests!;
    h.answered += c.m.answered!;
    h.durationMs += c.m.duration_sum_ms!;
    h.turnedAway += c.m.turned_away!;
    h.abandoned += c.m.abandoned!;
    h.longWaits += c.m.answered! - countWithin(series(c.m, "w", 0, WAIT_BINS), LONG_WAIT_S);
  }
  // A patron lost in a calendar hour nobody monitored (any part of it) is one a single librarian would have reached.
  for (const c of lostUnmonitored) week[(c.weekday - 1) * 24 + c.hour]!.lostUnstaffed += c.lost;
  for (const p of presence) week[(p.day - 1) * 24 + p.hour]!.monitoredMs += p.ms;
  for (const [key, covered] of scheduled) {
    const h = at(Math.floor(key / 24), key % 24);
    h.scheduled += 1;
    if (!covered) h.unstaffed += 1;
  }
  const weekdays = weekdayCounts(cq.window);
  const zone = cq.window.zone;
  const rows = week.map((h, i) => {
    const occurrencesOfHour = weekdays[Math.floor(i / 24)]!;
    const perHour = occurrencesOfHour ? h.requests / occurrencesOfHour : 0;
    const staffing = occurrencesOfHour ? round2(h.monitoredMs / HOUR_MS / occurrencesOfHour) : 0;
    const needed = staffingNeeded(perHour, h.answered ? h.durationMs / h.answered : null);
    return { i, h, perHour: round2(perHour), staffing, needed, gap: round2(Math.max(0, needed - staffing)) };
  });
  const main = table(
    "hours-of-week",
    "Demand, staffing and failures by hour of the week",
    `Every hour of the week (${zone}): requests and requests per week, librarians monitoring on average and the staffing the demand needs, what failed, and the coverage schedule.`,
    [
      col("weekday", "Weekday", "text"),
      col("hour", `Hour (${zone})`, "text"),
      col("requests", "Requests"),
      col("per_week", "Requests per week (average)"),
      col("staffing", "Librarians monitoring (average)"),
      col("needed", "Librarians needed"),
      col("gap", "Short by"),
      col("turned_away", "Turned away"),
      col("abandoned", "Abandoned while waiting"),
      col("long_waits", `Waited over ${LONG_WAIT_S} s`),
      col("lost_unstaffed", "Lost while nobody monitored"),
      col("scheduled", "Scheduled hours"),
      col("unstaffed", "Scheduled hours nobody staffed"),
    ],
    rows.map(({ i, h, perHour, staffing, needed, gap }) => [WEEKDAY_NAMES[Math.floor(i / 24)]!, hourLabel(i % 24), h.requests, perHour, staffing, needed, gap, h.turnedAway, h.abandoned, h.longWaits, h.lostUnstaffed, h.scheduled, h.unstaffed]),
    { type: "lines", x: "hour", series: ["per_week", "staffing", "needed"], unit: "average in the hour" },
  );
  const lostMap = table(
    "lost-heatmap",
    "Patrons lost, weekday × hour",
    "Requests turned away or abandoned in each hour of the week.",
    [col("weekday", "Weekday", "text"), ...Array.from({ length: 24 }, (_, hr) => col(`h${hr}`, hourLabel(hr)))],
    WEEKDAY_NAMES.map((name, d) => [name, ...Array.from({ length: 24 }, (_, hr) => week[d * 24 + hr]!.turnedAway + week[d * 24 + hr]!.abandoned)]),
    { type: "heatmap", x: "weekday", series: Array.from({ length: 24 }, (_, hr) => `h${hr}`), unit: "requests" },
  );
  const worst = rows
    .filter((r) => r.h.turnedAway + r.h.abandoned + r.h.longWaits > 0)
    .sort((a, b) => b.h.turnedAway + b.h.abandoned - (a.h.turnedAway + a.h.abandoned) || b.h.longWaits - a.h.longWaits || a.i - b.i)
    .slice(0, 12);
  const advice = (r: (typeof rows)[number]) => {
    if (r.h.lostUnstaffed > 0) return `Monitor this hour: ${r.h.lostUnstaffed} of the patrons lost came while nobody monitored, and one librarian would have reached them.`;
    if (r.gap > 0) return `Add staffing: ${r.needed} librarian${r.needed === 1 ? "" : "s"} needed, ${r.staffing} monitoring on average.`;
    if (r.h.unstaffed > 0) return `Staff the schedule: ${r.h.unstaffed} scheduled hour${r.h.unstaffed === 1 ? " was" : "s were"} not staffed.`;
    return "Staffed as the demand needs: patrons still gave up waiting.";
  };
  const lost = table(
    "where-lost",
    "Where patrons were lost",
    "The hours of the week with the most patrons turned away or abandoned (then the most long waits), and what staffing would have saved them.",
    [col("weekday", "Weekday", "text"), col("hour", `Hour (${zone})`, "text"), col("lost", "Lost (turned away or abandoned)"), col("lost_unstaffed", "Lost while nobody monitored"), col("long_waits", `Waited over ${LONG_WAIT_S} s`), col("staffing", "Librarians monitoring (average)"), col("needed", "Librarians needed"), col("advice", "What would have helped", "text")],
    worst.map((r) => [WEEKDAY_NAMES[Math.floor(r.i / 24)]!, hourLabel(r.i % 24), r.h.turnedAway + r.h.abandoned, r.h.lostUnstaffed, r.h.longWaits, r.staffing, r.needed, advice(r)]),
    null,
  );
  return [main, lostMap, lost];
}
