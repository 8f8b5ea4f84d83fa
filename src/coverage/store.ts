/**
 * A group's coverage schedule in D1: load, validate and replace as a whole
 * (so a bad schedule changes nothing), and answer "whose shift is it now".
 */
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
  const { results } = await d1
    .prepare(
      `SELECT s.id, s.library_id, l.name AS library_name, s.time_zone, s.weekday, s.start_minute, s.end_minute, s.ends_next_day
       FROM coverage_shifts s JOIN libraries l ON l.id = s.library_id WHERE s.group_id = ? ORDER BY s.weekday, s.start_minute, s.id`,
    )
    .bind(groupId)
    .all<{ id: number; library_id: string; library_name: string; time_zone: string; weekday: number; start_minute: number; end_minute: number; ends_next_day: number }>();
  return results.map((r) => {
    const rule: ShiftRule = { libraryId: r.library_id, timeZone: r.time_zone, weekday: r.weekday, startMinute: r.start_minute, endMinute: r.end_minute, endsNextDay: r.ends_next_day === 1 };
    return { ...rule, id: r.id, libraryName: r.library_name, label: describeShift(rule), start: formatMinute(rule.startMinute), end: formatMinute(rule.endMinute) };
  });
}

/**
 * Validates a whole schedule against the group's members and the time rules,
 * then replaces the stored one in one batch. Any problem is a 400 naming the
 * shift (`shifts.N…`) and nothing is changed.
 */
export async function replaceSchedule(d1: D1Database, groupId: string, body: z.output<typeof scheduleSchema>, now = Date.now()): Promise<ShiftRule[]> {
  const { results: members } = await d1
    .prepare("SELECT l.id, l.name, l.time_zone FROM group_members m JOIN libraries l ON l.id = m.library_id WHERE m.group_id = ?")
    .bind(groupId)
    .all<{ id: string; name: string; time_zone: string }>();
  const byId = new Map(members.map((m) => [m.id, m]));
  const rules: ShiftRule[] = body.shifts.map((s, i) => {
    const member = byId.get(s.libraryId);
    if (!member) throw badRequest(`Shift ${i + 1}: ${s.libraryId} is not a member of this group`, `shifts.${i}.libraryId`);
    const timeZone = s.timeZone || member.time_zone;
    if (!isTimeZone(timeZone)) throw badRequest(`Shift ${i + 1}: "${timeZone}" is not a time zone (use an IANA name such as America/Chicago)`, `shifts.${i}.timeZone`);
    const rule: ShiftRule = { libraryId: s.libraryId, timeZone, weekday: s.weekday, startMinute: parseMinute(s.start)!, endMinute: parseMinute(s.end)!, endsNextDay: s.endsNextDay };
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
  await d1.batch([
    d1.prepare("DELETE FROM coverage_shifts WHERE group_id = ?").bind(groupId),
    ...rules.map((r) =>
      d1
        .prepare("INSERT INTO coverage_shifts (group_id, library_id, time_zone, weekday, start_minute, end_minute, ends_next_day, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(groupId, r.libraryId, r.timeZone, r.weekday, r.startMinute, r.endMinute, r.endsNextDay ? 1 : 0, now),
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

