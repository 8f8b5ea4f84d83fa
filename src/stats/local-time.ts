/**
 * Local days and hours for statistics. A "local day" is the number of days
 * since 1970-01-01 of the calendar date a clock in the zone shows; its hour is
 * the hour that clock shows (so the hour clocks repeat in autumn counts twice
 * into one hour, and the hour skipped in spring has nothing). Weeks start on
 * Monday (ISO).
 */
import { offsetAt, type OffsetLookup } from "../coverage/zoned-time";

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** A local day and hour, the cell statistics count an instant in. */
export interface LocalCell {
  day: number;
  hour: number;
}

/** The local day and hour of `utcMs` in `zone` (`offset`: a precomputed lookup of the zone's offsets, for many instants). */
export function localCell(zone: string, utcMs: number, offset: OffsetLookup = (t) => offsetAt(zone, t)): LocalCell {
  const local = utcMs + offset(utcMs);
  const day = Math.floor(local / DAY_MS);
  return { day, hour: Math.floor((local - day * DAY_MS) / HOUR_MS) };
}

/** Days since 1970-01-01 of a calendar date "YYYY-MM-DD". */
export function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** The calendar date "YYYY-MM-DD" of a day number. */
export function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** The Monday that starts `day`'s week. */
export function weekStartOf(day: number): number {
  return day - (weekdayOf(day) - 1);
}

/** The first day of `day`'s month. */
export function monthStartOf(day: number): number {
  const d = new Date(day * DAY_MS);
  return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS);
}

/** The first day of the month after `day`'s. */
export function nextMonthStart(day: number): number {
  const d = new Date(day * DAY_MS);
  return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY_MS);
}

/** The instant a local clock in `zone` shows the start of `day` (the earlier one if it shows it twice). */
export function startOfLocalDay(zone: string, day: number): number {
  const wall = day * DAY_MS;
  // The offsets a day either side cover any change of clocks near midnight.
  const candidates = [...new Set([offsetAt(zone, wall - DAY_MS), offsetAt(zone, wall + DAY_MS), offsetAt(zone, wall)])].map((o) => wall - o);
  const exact = candidates.filter((t) => t + offsetAt(zone, t) === wall);
  if (exact.length > 0) return Math.min(...exact);
  // Midnight skipped (clocks jumped over it): the day starts when the clocks jump.
  return Math.min(...candidates.filter((t) => t + offsetAt(zone, t) > wall));
}

/** [from, to) in UTC of the local days `fromDay` … `toDay` (inclusive) in `zone`. */
export function utcRange(zone: string, fromDay: number, toDay: number): { fromMs: number; toMs: number } {
  return { fromMs: startOfLocalDay(zone, fromDay), toMs: startOfLocalDay(zone, toDay + 1) };
}

/** A stretch of time over which the zone's offset stays the same. */
export interface OffsetSegment {
  /** First instant of the segment (inclusive). */
  fromMs: number;
  offsetMs: number;
}

/**
 * The zone's offsets over [fromMs, toMs): one segment per offset in force,
 * each change found to the minute (one Intl call per day, a binary search at
 * each change). Lets a query turn instants into local time with arithmetic.
 */
export function offsetSegments(zone: string, fromMs: number, toMs: number): OffsetSegment[] {
  const segments: OffsetSegment[] = [{ fromMs, offsetMs: offsetAt(zone, fromMs) }];
  for (let t = fromMs; t < toMs; ) {
    const next = Math.min(t + DAY_MS, toMs);
    const previous = segments[segments.length - 1]!.offsetMs;
    if (offsetAt(zone, next) !== previous) {
      let lo = t;
      let hi = next;
      while (hi - lo > 60_000) {
        const mid = Math.floor((lo + hi) / 2 / 60_000) * 60_000;
        if (offsetAt(zone, mid) === previous) lo = mid;
        else hi = mid;
      }
      segments.push({ fromMs: hi, offsetMs: offsetAt(zone, hi) });
    }
    t = next;
  }
  return segments;
}
