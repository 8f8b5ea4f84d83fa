/**
 * Calendar days in a library's time zone, as instants. A search "from 9 March
 * to 10 March" means the library's own days, daylight saving included — and
 * any day the search accepts, from 0000-01-01 to 9999-12-31, is a day: the
 * first years are not read as 1900–1999 (as Date.UTC reads years 0–99), and
 * the end of 9999-12-31 is the start of a year with five digits.
 */

/** The instant a calendar day begins in UTC, for any year (month 1–12; a day past the month's end runs on). */
function utcMidnight(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getTime();
}

/**
 * Offset of `timeZone` from UTC at `at`, in milliseconds (e.g. −5 h for
 * Chicago in winter), as the platform's time zone data names it ("GMT-05:00",
 * or "GMT-04:56:02" for local mean time before standard time). Read from the
 * offset's name rather than from the wall clock's parts, whose year would be
 * an era's year before year 1.
 */
function offsetAt(at: number, timeZone: string): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" }).formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /^GMT(?:([+-])(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(name);
  if (!m?.[1]) return 0;
  const ms = ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4] ?? 0)) * 1000;
  return m[1] === "-" ? -ms : ms;
}

/** The instant a calendar day (given by its parts) begins in `timeZone`. */
function startOfDayAt(year: number, month: number, day: number, timeZone: string): number {
  const wallMidnight = utcMidnight(year, month, day);
  // Two passes settle days on which the offset changes.
  let at = wallMidnight - offsetAt(wallMidnight, timeZone);
  at = wallMidnight - offsetAt(at, timeZone);
  return at;
}

const partsOf = (day: string) => day.split("-").map(Number) as [number, number, number];

/** The instant a calendar day (YYYY-MM-DD) begins in `timeZone`. */
export function startOfDay(day: string, timeZone: string): number {
  const [y, m, d] = partsOf(day);
  return startOfDayAt(y, m, d, timeZone);
}

/** The instant the day after `day` begins in `timeZone` (the exclusive end of `day`). */
export function endOfDay(day: string, timeZone: string): number {
  const [y, m, d] = partsOf(day);
  return startOfDayAt(y, m, d + 1, timeZone);
}
