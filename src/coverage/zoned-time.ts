/**
 * Wall-clock time in IANA time zones, with `Intl` (the platform's own time zone
 * data, the same in workerd and browsers) — no date library needed.
 *
 * Converting a local time to an instant follows Temporal's "compatible" rule:
 * a time that happens twice (the hour repeated when clocks fall back) means the
 * earlier one; a time that does not happen (skipped when clocks spring forward)
 * moves forward by the length of the gap (02:30 becomes 03:30).
 */

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A date and time as a clock on the wall shows it. */
export interface LocalDateTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** Minutes since local midnight. */
  minute: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

/** The local wall-clock time in `zone` at instant `utcMs`. */
export function toLocal(zone: string, utcMs: number): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(utcMs)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0 } = parts;
  return { year, month, day, minute: hour * 60 + minute, weekday: isoWeekday(year, month, day) };
}

/** ISO weekday (1 = Monday) of a calendar date. */
export function isoWeekday(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The zone's offset from UTC at `utcMs`, in milliseconds (local − UTC), to the minute. */
export function offsetAt(zone: string, utcMs: number): number {
  const at = Math.floor(utcMs / MINUTE) * MINUTE;
  const l = toLocal(zone, at);
  return Date.UTC(l.year, l.month - 1, l.day, 0, l.minute) - at;
}

/** An offset lookup: the plain Intl one, or a precomputed table (ZoneOffsets). */
export type OffsetLookup = (utcMs: number) => number;

/**
 * The instant at which a clock in the zone shows `minute` minutes past midnight
 * of the given date ("compatible" disambiguation, see the header). `minute` may
 * be 1440 (the next midnight).
 */
export function localToUtc(offset: OffsetLookup, year: number, month: number, day: number, minute: number): number {
  const wall = Date.UTC(year, month - 1, day, 0, minute);
  // The offsets in force a day either side cover any transition near this time.
  const before = offset(wall - DAY);
  const after = offset(wall + DAY);
  const valid = [...new Set([before, after])].map((o) => wall - o).filter((t) => offset(t) === wall - t);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: read the wall time with the offset from before the jump, which lands after it.
  return wall - before;
}

/**
 * The zone's offsets over a span, found with one Intl call per day plus a
 * binary search at each transition; lookups inside the span are arithmetic.
 * Used where a schedule is expanded over a whole year (overlap checks).
 */
export class ZoneOffsets {
  private readonly changes: { from: number; offset: number }[] = [];

  constructor(
    readonly zone: string,
    private readonly fromMs: number,
    private readonly toMs: number,
  ) {
    let previous = offsetAt(zone, fromMs);
    this.changes.push({ from: fromMs, offset: previous });
    for (let t = fromMs + DAY; t <= toMs + DAY; t += DAY) {
      const current = offsetAt(zone, t);
      if (current === previous) continue;
      let lo = t - DAY;
      let hi = t;
      while (hi - lo > MINUTE) {
        const mid = Math.floor((lo + hi) / 2 / MINUTE) * MINUTE;
        if (offsetAt(zone, mid) === previous) lo = mid;
        else hi = mid;
      }
      this.changes.push({ from: hi, offset: current });
      previous = current;
    }
  }

  readonly lookup: OffsetLookup = (utcMs) => {
    if (utcMs < this.fromMs || utcMs > this.toMs + DAY) return offsetAt(this.zone, utcMs);
    let offset = this.changes[0]!.offset;
    for (const c of this.changes) {
      if (c.from > utcMs) break;
      offset = c.offset;
    }
    return offset;
  };
}

/** Adds days to a calendar date (any overflow of month or year handled). */
export function addDays(year: number, month: number, day: number, days: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
