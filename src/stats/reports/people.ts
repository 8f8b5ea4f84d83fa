/**
 * People and coverage: each librarian's answered chats, median wait and
 * length and ratings; hours monitored (from presence) by person, hour,
 * weekday and month — a coverage report; and how often each script is used.
 */
import type { StatTable } from "../../shared/stats-api";
import { meanRating, RATING_SCORES } from "../definitions";
import { peopleCells, type CellQuery } from "../cells";
import { presenceHourCells, presencePeopleCells } from "../presence-cells";
import { HOUR_MS, weekdayOf } from "../local-time";
import { series } from "../measures";
import { scriptsUsedTable } from "./scripts-used";
import { col, hourLabel, hoursOf, monthLabel, namesOf, periodOf, periods, table, WEEKDAY_NAMES, waitFigures, weekdayCounts } from "./common";

export async function peopleReport(cq: CellQuery): Promise<StatTable[]> {
  const [people, presenceHours, presenceDays, presencePeople, scripts] = await Promise.all([peopleCells(cq), presenceHourCells(cq, "hour"), presenceHourCells(cq, "day"), presencePeopleCells(cq), scriptsUsedTable(cq)]);
  const names = await namesOf(cq.d1, [...people.map((p) => p.libraryId), ...presencePeople.map((p) => p.libraryId)], [...people.map((p) => p.librarianId), ...presencePeople.map((p) => p.librarianId)]);
  const zone = cq.window.zone;
  const chats = table(
    "librarians",
    "Librarians",
    "Chats each librarian answered (the librarian who ended the chat), their waits and lengths, and the patrons' ratings.",
    [
      col("librarian", "Librarian", "text"),
      col("library", "Library", "text"),
      col("chats", "Chats"),
      col("wait_p50", "Wait, median (s)", "seconds"),
      col("wait_mean", "Wait, mean (s)", "seconds"),
      col("wait_min", "Wait, shortest (s)", "seconds"),
      col("wait_max", "Wait, longest (s)", "seconds"),
      col("duration_p50", "Length, median (s)", "seconds"),
      col("rated", "Rated"),
      col("rating_mean", "Rating, mean", "rating"),
    ],
    people
      .map((p) => {
        const f = waitFigures(p.m, p.m.chats!);
        const ratings = series(p.m, "r", 1, RATING_SCORES.length);
        return [names.librarian(p.librarianId), names.library(p.libraryId), p.m.chats!, f.waitP50, f.waitMean, Math.ceil(p.m.wait_min_ms! / 1000), f.waitMax, f.durationP50, ratings.reduce((a, b) => a + b, 0), meanRating(ratings)];
      })
      .sort((a, b) => Number(b[2]) - Number(a[2]) || String(a[0]).localeCompare(String(b[0]))),
    { type: "bars", x: "librarian", series: ["chats"], unit: "chats" },
  );
  return [chats, ...coverageTables(cq, presenceHours, presenceDays, presencePeople, names, zone), scripts];
}

function coverageTables(
  cq: CellQuery,
  hours: Awaited<ReturnType<typeof presenceHourCells>>,
  byDay: Awaited<ReturnType<typeof presenceHourCells>>,
  people: Awaited<ReturnType<typeof presencePeopleCells>>,
  names: Awaited<ReturnType<typeof namesOf>>,
  zone: string,
): StatTable[] {
  const days = cq.window.toDay - cq.window.fromDay + 1;
  const byPerson = table(
    "coverage-people",
    "Hours monitored, by librarian",
    "Time each librarian monitored a queue (one person monitoring two queues at once counts once).",
    [col("librarian", "Librarian", "text"), col("library", "Library", "text"), col("hours", "Hours monitored", "hours")],
    people.map((p) => [names.librarian(p.librarianId), names.library(p.libraryId), hoursOf(p.ms)]).sort((a, b) => Number(b[2]) - Number(a[2]) || String(a[0]).localeCompare(String(b[0]))),
    { type: "bars", x: "librarian", series: ["hours"], unit: "hours" },
  );
  const byHour = new Map<number, number>();
  const byWeekday = new Map<number, number>();
  const byMonth = new Map<number, number>();
  for (const c of hours) byHour.set(c.hour, (byHour.get(c.hour) ?? 0) + c.ms);
  for (const c of byDay) {
    byWeekday.set(weekdayOf(c.day), (byWeekday.get(weekdayOf(c.day)) ?? 0) + c.ms);
    byMonth.set(periodOf(c.day, "month"), (byMonth.get(periodOf(c.day, "month")) ?? 0) + c.ms);
  }
  const staffing = (ms: number, hoursInRange: number) => (hoursInRange > 0 ? Math.round((ms / HOUR_MS / hoursInRange) * 100) / 100 : null);
  const hourTable = table(
    "coverage-hours",
    "Hours monitored, by hour of day",
    "Librarian-hours of monitoring in each hour of the day, and how many librarians monitored on average.",
    [col("hour", `Hour (${zone})`, "text"), col("hours", "Hours monitored", "hours"), col("librarians", "Librarians monitoring (average)", "count")],
    Array.from({ length: 24 }, (_, h) => [hourLabel(h), hoursOf(byHour.get(h) ?? 0), staffing(byHour.get(h) ?? 0, days)]),
    { type: "bars", x: "hour", series: ["librarians"], unit: "librarians" },
  );
  const weekdays = weekdayCounts(cq.window);
  const weekdayTable = table(
    "coverage-weekdays",
    "Hours monitored, by weekday",
    "Librarian-hours of monitoring on each weekday, and librarians monitoring on average over such a day.",
    [col("weekday", "Weekday", "text"), col("hours", "Hours monitored", "hours"), col("librarians", "Librarians monitoring (average)", "count")],
    WEEKDAY_NAMES.map((name, i) => [name, hoursOf(byWeekday.get(i + 1) ?? 0), staffing(byWeekday.get(i + 1) ?? 0, weekdays[i]! * 24)]),
    { type: "bars", x: "weekday", series: ["hours"], unit: "hours" },
  );
  const monthTable = table(
    "coverage-months",
    "Hours monitored, by month",
    "Librarian-hours of monitoring in each month of the range.",
    [col("period", `Month (${zone})`, "period"), col("hours", "Hours monitored", "hours")],
    periods(cq.window, "month").map((p) => [monthLabel(p.start), hoursOf(byMonth.get(p.start) ?? 0)]),
    { type: "bars", x: "period", series: ["hours"], unit: "hours" },
  );
  return [byPerson, hourTable, weekdayTable, monthTable];
}
