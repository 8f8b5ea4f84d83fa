/**
 * Calendar days in a library's time zone, as instants. A search "from 9 March
 * to 10 March" means the library's own days, daylight saving included.
 */

const DAY_MS = 86_400_000;

/** Offset of `timeZone` from UTC at `at`, in milliseconds (e.g. −5 h for Chicago in summer). */
function offsetAt(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return wall - Math.floor(at / 1000) * 1000;
}

/** The instant a calendar day (YYYY-MM-DD) begins in `timeZone`. */
export function startOfDay(day: string, timeZone: string): number {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const wallMidnight = Date.UTC(y, m - 1, d);
  // Two passes settle days on which the offset changes.
  let at = wallMidnight - offsetAt(wallMidnight, timeZone);
  at = wallMidnight - offsetAt(at, timeZone);
  return at;
}

/** The instant the day after `day` begins in `timeZone` (the exclusive end of `day`). */
export function endOfDay(day: string, timeZone: string): number {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  return startOfDay(next, timeZone);
}
