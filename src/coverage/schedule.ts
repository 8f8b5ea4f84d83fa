/**
 * The coverage schedule of a cooperative queue: which member library staffs it
 * in which hours, as weekly shifts.
 *
 * Stored as zoned rules — weekday, local start and end, and the IANA zone they
 * are meant in (the staffing library's, by default) — not as UTC minutes of the
 * week. A shift "Monday 18:00–22:00 America/Chicago" must stay 18:00–22:00 on
 * Chicago's clocks across daylight saving; fixed UTC minutes would move it by an
 * hour twice a year. Instants are computed per concrete week (zoned-time.ts),
 * which also makes the odd days right: on the spring-forward Sunday a shift
 * 01:00–03:00 lasts one hour, on the fall-back Sunday two shifts 00:00–01:30 and
 * 01:30–03:00 meet at the first 01:30.
 *
 * A shift ends later the same day, or (endsNextDay) the next day, never more
 * than 24 hours after it starts. Shifts of one group must not overlap at any
 * instant; shifts in different zones are compared over a whole year of
 * concrete weeks, since their relative offset changes when their zones change
 * clocks on different dates.
 */
import { ZoneOffsets, addDays, isoWeekday, localToUtc, offsetAt, toLocal, type OffsetLookup } from "./zoned-time";

export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
export const WEEKDAY_SHORT = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

export const SCHEDULE_LIMITS = {
  /** Shifts in one group's schedule. */
  maxShifts: 120,
  /** Weeks over which shifts in different zones are compared for overlaps. */
  overlapWeeks: 54,
} as const;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const WEEK = 7 * DAY;

/** One weekly shift, as stored. */
export interface ShiftRule {
  libraryId: string;
  timeZone: string;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Minutes after local midnight: 0–1439. */
  startMinute: number;
  /** Minutes after local midnight of the end day: 1–1440 the same day, 0–1440 the next day. */
  endMinute: number;
  endsNextDay: boolean;
}

/** One concrete occurrence of a shift. */
export interface Occurrence {
  rule: number;
  start: number;
  end: number;
}

/** "18:00" from minutes; 1440 is "24:00". */
export function formatMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

/** Minutes from "HH:MM" (00:00–24:00), or null. */
export function parseMinute(text: string): number | null {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text.trim());
  if (!m) return null;
  const minute = Number(m[1]) * 60 + Number(m[2]);
  return minute <= 1440 ? minute : null;
}

/** "Mon 18:00–22:00" or "Fri 22:00–Sat 02:00", in the rule's own zone. */
export function describeShift(rule: ShiftRule): string {
  const day = WEEKDAY_SHORT[rule.weekday - 1];
  if (!rule.endsNextDay) return `${day} ${formatMinute(rule.startMinute)}–${formatMinute(rule.endMinute)}`;
  return `${day} ${formatMinute(rule.startMinute)}–${WEEKDAY_SHORT[rule.weekday % 7]} ${formatMinute(rule.endMinute)}`;
}

/** What is wrong with one shift on its own (reversed, empty, too long), or null. */
export function shiftProblem(rule: ShiftRule): string | null {
  if (!Number.isInteger(rule.weekday) || rule.weekday < 1 || rule.weekday > 7) return "Choose a day of the week.";
  if (rule.startMinute < 0 || rule.startMinute > 1439) return "A shift starts between 00:00 and 23:59.";
  if (!rule.endsNextDay) {
    if (rule.endMinute === rule.startMinute) return "A shift cannot end when it starts.";
    if (rule.endMinute < rule.startMinute) {
      return `This shift ends (${formatMinute(rule.endMinute)}) before it starts (${formatMinute(rule.startMinute)}). For a shift past midnight, mark it as ending the next day.`;
    }
    return null;
  }
  if (rule.endMinute > rule.startMinute) return "A shift lasts at most 24 hours: one that ends the next day must end no later than it started.";
  return null;
}

/** The occurrences of one shift that overlap [fromMs, toMs). */
export function occurrences(rule: ShiftRule, index: number, fromMs: number, toMs: number, offset: OffsetLookup = (t) => offsetAt(rule.timeZone, t)): Occurrence[] {
  // Start from the local date two days before `fromMs` (a shift can start up to a day before it and DST moves things by hours).
  const l = toLocal(rule.timeZone, fromMs - 2 * DAY);
  const shift = (rule.weekday - isoWeekday(l.year, l.month, l.day) + 7) % 7;
  let date = addDays(l.year, l.month, l.day, shift);
  const out: Occurrence[] = [];
  for (;;) {
    const start = localToUtc(offset, date.year, date.month, date.day, rule.startMinute);
    if (start >= toMs) break;
    const endDate = rule.endsNextDay ? addDays(date.year, date.month, date.day, 1) : date;
    const end = localToUtc(offset, endDate.year, endDate.month, endDate.day, rule.endMinute);
    if (end > fromMs && end > start) out.push({ rule: index, start, end });
    date = addDays(date.year, date.month, date.day, 7);
  }
  return out;
}

/** The first overlap between two shifts within `weeks` weeks from `fromMs`, or null. */
export function findOverlap(rules: ShiftRule[], fromMs: number, weeks: number = SCHEDULE_LIMITS.overlapWeeks): { first: number; second: number; at: number } | null {
  const toMs = fromMs + weeks * WEEK;
  const tables = new Map<string, OffsetLookup>();
  for (const zone of new Set(rules.map((r) => r.timeZone))) tables.set(zone, new ZoneOffsets(zone, fromMs - 3 * DAY, toMs + 3 * DAY).lookup);
  const all = rules.flatMap((r, i) => occurrences(r, i, fromMs, toMs, tables.get(r.timeZone)));
  all.sort((a, b) => a.start - b.start || a.end - b.end);
  let latest: Occurrence | null = null;
  for (const o of all) {
    if (latest && o.start < latest.end && o.rule !== latest.rule) {
      return { first: Math.min(o.rule, latest.rule), second: Math.max(o.rule, latest.rule), at: o.start };
    }
    if (!latest || o.end > latest.end) latest = o;
  }
  return null;
}

/** The shift occurrence covering `now`, and the next one to start. */
export function coverageAt(rules: ShiftRule[], now: number): { current: Occurrence | null; next: Occurrence | null } {
  const around = rules.flatMap((r, i) => occurrences(r, i, now - 2 * DAY, now + 8 * DAY));
  const current = around.find((o) => o.start <= now && now < o.end) ?? null;
  const next = around.filter((o) => o.start > now).sort((a, b) => a.start - b.start)[0] ?? null;
  return { current, next };
}

/** The Monday 00:00 UTC at or before `ms`: where overlap checks start. */
export function startOfUtcWeek(ms: number): number {
  const d = new Date(ms);
  const weekday = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - (weekday - 1) * DAY;
}

/** An instant shown in a zone, e.g. "Mon 18:00". */
export function formatInZone(zone: string, utcMs: number): string {
  const l = toLocal(zone, utcMs);
  return `${WEEKDAY_SHORT[l.weekday - 1]} ${formatMinute(l.minute)}`;
}

/** An occurrence shown in a zone: "Mon 15:00–19:00", or "Fri 22:00–Sat 02:00" across midnight. */
export function formatSpanInZone(zone: string, startMs: number, endMs: number): string {
  const start = formatInZone(zone, startMs);
  const end = formatInZone(zone, endMs);
  return start.slice(0, 3) === end.slice(0, 3) ? `${start}–${end.slice(4)}` : `${start}–${end}`;
}
