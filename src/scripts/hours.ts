/**
 * "Today's hours" for the {{hoursToday}} placeholder: the library's line for
 * today's weekday in its own time zone (libraries.hours_by_weekday, Monday
 * first), else its hours as written for patrons, else nothing.
 */
import { toLocal } from "../coverage/zoned-time";

export function hoursToday(library: { hoursByWeekday: string[] | null; hoursText: string | null; timeZone: string }, now: number): string {
  const week = Array.isArray(library.hoursByWeekday) ? library.hoursByWeekday : [];
  if (week.length === 7) {
    let weekday = 1;
    try {
      weekday = toLocal(library.timeZone, now).weekday;
    } catch {
      weekday = toLocal("UTC", now).weekday;
    }
    const line = week[weekday - 1]?.trim();
    if (line) return line;
  }
  return library.hoursText?.trim() ?? "";
}
