/**
 * A group's coverage schedule in D1: load, validate and replace as a whole
 * (so a bad schedule changes nothing), and answer "whose shift is it now".
 */
import { asc, eq } from "drizzle-orm";
import { database } from "../db/client";
import { coverageShifts, groupMembers, groups, libraries } from "../db/schema";
import { badRequest } from "../http/errors";
import { scheduleSchema } from "../shared/coop-api";
import type { z } from "zod";
import { coverageAt, describeShift, findOverlap, formatMinute, formatSpanInZone, parseMinute, shiftProblem, startOfUtcWeek, type Occurrence, type ShiftRule } from "./schedule";
import { isTimeZone } from "./zoned-time";

export interface StoredShift extends ShiftRule {
  id: number;
  libraryName: string;
  /** e.g. "Mon 18:00–22:00" in the shift's own zone. */
  label: string;
  start: string;
  end: string;
}

export async function loadShifts(d1: D1Database, groupId: string): Promise<StoredShift[]> {
  const rows = await database(d1)
    .select({
      id: coverageShifts.id,
      libraryId: coverageShifts.libraryId,
      libraryName: libraries.name,
      timeZone: coverageShifts.timeZone,
      weekday: coverageShifts.weekday,
      startMinute: coverageShifts.startMinute,
      endMinute: coverageShifts.endMinute,
      endsNextDay: coverageShifts.endsNextDay,
    })
    .from(coverageShifts)
    .innerJoin(libraries, eq(libraries.id, coverageShifts.libraryId))
    .where(eq(coverageShifts.groupId, groupId))
    .orderBy(asc(coverageShifts.weekday), asc(coverageShifts.startMinute), asc(coverageShifts.id))
    .all();
  return rows.map((r) => {
    const rule: ShiftRule = { libraryId: r.libraryId, timeZone: r.timeZone, weekday: r.weekday, startMinute: r.startMinute, endMinute: r.endMinute, endsNextDay: r.endsNextDay };
    return { ...rule, id: r.id, libraryName: r.libraryName, label: describeShift(rule), start: formatMinute(rule.startMinute), end: formatMinute(rule.endMinute) };
  });
}

/**
 * Validates a whole schedule against the group's members and the time rules,
 * then replaces the stored one in one batch. Any problem is a 400 naming the
 * shift (`shifts.N…`) and nothing is changed.
 */
export async function replaceSchedule(d1: D1Database, groupId: string, body: z.output<typeof scheduleSchema>, now = Date.now()): Promise<ShiftRule[]> {
  const db = database(d1);
  const members = await db
    .select({ id: libraries.id, name: libraries.name, timeZone: libraries.timeZone })
    .from(groupMembers)
    .innerJoin(libraries, eq(libraries.id, groupMembers.libraryId))
    .where(eq(groupMembers.groupId, groupId))
    .all();
  const byId = new Map(members.map((m) => [m.id, m]));
  const rules: ShiftRule[] = body.shifts.map((s, i) => {
    const member = byId.get(s.libraryId);
    if (!member) throw badRequest(`Shift ${i + 1}: ${s.libraryId} is not a member of this group`, `shifts.${i}.libraryId`);
    const timeZone = s.timeZone || member.timeZone;
    if (!isTimeZone(timeZone)) throw badRequest(`Shift ${i + 1}: "${timeZone}" is not a time zone (use an IANA name such as America/Chicago)`, `shifts.${i}.timeZone`);
    const startMinute = parseMinute(s.start);
    const endMinute = parseMinute(s.end);
    if (startMinute === null) throw badRequest(`Shift ${i + 1}: "${s.start}" is not a time of day (00:00–23:59)`, `shifts.${i}.start`);
    if (endMinute === null) throw badRequest(`Shift ${i + 1}: "${s.end}" is not a time of day (00:00–24:00)`, `shifts.${i}.end`);
    const rule: ShiftRule = { libraryId: s.libraryId, timeZone, weekday: s.weekday, startMinute, endMinute, endsNextDay: s.endsNextDay };
    if (rule.startMinute > 1439) throw badRequest(`Shift ${i + 1}: a shift starts between 00:00 and 23:59`, `shifts.${i}.start`);
    const problem = shiftProblem(rule);
    if (problem) throw badRequest(`Shift ${i + 1}: ${problem}`, `shifts.${i}.end`);
    return rule;
  });
  const overlap = findOverlap(rules, startOfUtcWeek(now));
  if (overlap) {
    const a = rules[overlap.first]!;
    const b = rules[overlap.second]!;
    const name = (r: ShiftRule) => byId.get(r.libraryId)!.name;
    throw badRequest(
      `Shifts ${overlap.first + 1} and ${overlap.second + 1} overlap: ${name(a)} ${describeShift(a)} (${a.timeZone}) and ${name(b)} ${describeShift(b)} (${b.timeZone}), ` +
        `first on ${new Date(overlap.at).toISOString().slice(0, 16).replace("T", " ")} UTC. Nothing was saved.`,
      `shifts.${overlap.second}`,
    );
  }
  await db.batch([
    db.delete(coverageShifts).where(eq(coverageShifts.groupId, groupId)),
    ...rules.map((r) =>
      db.insert(coverageShifts).values({
        groupId,
        libraryId: r.libraryId,
        timeZone: r.timeZone,
        weekday: r.weekday,
        startMinute: r.startMinute,
        endMinute: r.endMinute,
        endsNextDay: r.endsNextDay,
        createdAt: now,
      }),
    ),
  ]);
  return rules;
}

/** One occurrence of a shift, as the monitor shows it. */
export interface ShiftNow {
  libraryId: string;
  libraryName: string;
  startsAt: string;
  endsAt: string;
  /** The shift as written, in its own zone, e.g. "Mon 18:00–22:00 (America/Chicago)". */
  rule: string;
  /** This occurrence on the viewer's library's clock, e.g. "Mon 19:00–23:00". */
  local: string;
}

export interface CoverageNow {
  groupId: string;
  now: string;
  timeZone: string;
  current: ShiftNow | null;
  next: ShiftNow | null;
}

/** Whose shift it is at `now`, and whose is next, shown in `viewerZone`. */
export async function coverageNow(d1: D1Database, groupId: string, now: number, viewerZone: string): Promise<CoverageNow> {
  const shifts = await loadShifts(d1, groupId);
  const { current, next } = coverageAt(shifts, now);
  const describe = (o: Occurrence | null): ShiftNow | null => {
    if (!o) return null;
    const s = shifts[o.rule]!;
    return {
      libraryId: s.libraryId,
      libraryName: s.libraryName,
      startsAt: new Date(o.start).toISOString(),
      endsAt: new Date(o.end).toISOString(),
      rule: `${s.label} (${s.timeZone})`,
      local: formatSpanInZone(viewerZone, o.start, o.end),
    };
  };
  return { groupId, now: new Date(now).toISOString(), timeZone: viewerZone, current: describe(current), next: describe(next) };
}


/** Whether the group offers a rolling-over request to the library scheduled now first. */
export async function prefersScheduled(d1: D1Database, groupId: string): Promise<boolean> {
  const row = await database(d1).select({ on: groups.rolloverPrefersScheduled }).from(groups).where(eq(groups.id, groupId)).get();
  return row?.on ?? false;
}

export async function setPrefersScheduled(d1: D1Database, groupId: string, on: boolean): Promise<void> {
  await database(d1).update(groups).set({ rolloverPrefersScheduled: on }).where(eq(groups.id, groupId)).run();
}
