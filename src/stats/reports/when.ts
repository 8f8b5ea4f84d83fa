/** When patrons ask: by hour of day, by day of week, and a weekday × hour table. */
import type { StatTable } from "../../shared/stats-api";
import { hourCells, type CellQuery } from "../cells";
import { HOUR_MEASURES, zeroMeasures } from "../measures";
import { col, hourLabel, sumBy, table, WEEKDAY_NAMES, weekdayCounts } from "./common";

const round1 = (n: number) => Math.round(n * 10) / 10;

export async function whenReport(cq: CellQuery): Promise<StatTable[]> {
  const cells = await hourCells(cq, "weekday-hour", ["requests", "answered", "turned_away", "abandoned"]);
  const days = cq.window.toDay - cq.window.fromDay + 1;
  const zone = cq.window.zone;
  const byHour = sumBy(cells, (c) => c.hour);
  const hours = table(
    "by-hour",
    "By hour of day",
    "Requests by the hour they came in, and the average per day of the range.",
    [col("hour", `Hour (${zone})`, "text"), col("requests", "Requests"), col("answered", "Answered"), col("turned_away", "Turned away"), col("abandoned", "Abandoned while waiting"), col("per_day", "Requests per day (average)", "count")],
    Array.from({ length: 24 }, (_, h) => {
      const m = byHour.get(h) ?? zeroMeasures(HOUR_MEASURES);
      return [hourLabel(h), m.requests!, m.answered!, m.turned_away!, m.abandoned!, round1(m.requests! / days)];
    }),
    { type: "bars", x: "hour", series: ["requests", "answered"], unit: "requests" },
  );
  const weekdays = weekdayCounts(cq.window);
  const byWeekday = sumBy(cells, (c) => c.weekday);
  const weekdayTable = table(
    "by-weekday",
    "By day of week",
    "Requests by weekday, and the average per such day in the range.",
    [col("weekday", "Weekday", "text"), col("requests", "Requests"), col("answered", "Answered"), col("turned_away", "Turned away"), col("abandoned", "Abandoned while waiting"), col("per_day", "Requests per such day (average)")],
    WEEKDAY_NAMES.map((name, i) => {
      const m = byWeekday.get(i + 1) ?? zeroMeasures(HOUR_MEASURES);
      return [name, m.requests!, m.answered!, m.turned_away!, m.abandoned!, weekdays[i] ? round1(m.requests! / weekdays[i]!) : null];
    }),
    { type: "bars", x: "weekday", series: ["requests", "answered"], unit: "requests" },
  );
  const grid = sumBy(cells, (c) => (c.weekday - 1) * 24 + c.hour);
  const heatmap = table(
    "heatmap",
    "Weekday × hour",
    `Requests in each hour of the week (${zone}).`,
    [col("weekday", "Weekday", "text"), ...Array.from({ length: 24 }, (_, h) => col(`h${h}`, hourLabel(h)))],
    WEEKDAY_NAMES.map((name, d) => [name, ...Array.from({ length: 24 }, (_, h) => grid.get(d * 24 + h)?.requests ?? 0)]),
    { type: "heatmap", x: "weekday", series: Array.from({ length: 24 }, (_, h) => `h${h}`), unit: "requests" },
  );
  return [hours, weekdayTable, heatmap];
}
