/** Volume: requests and what became of them — answered, turned away, abandoned, ended automatically — in total and by day, week and month. */
import type { StatTable } from "../../shared/stats-api";
import { sharePercent } from "../definitions";
import { hourCells, type CellQuery } from "../cells";
import { zeroMeasures, HOUR_MEASURES } from "../measures";
import { col, periodOf, periods, sumBy, table, total } from "./common";

const OUTCOME_COLUMNS = [col("requests", "Requests"), col("answered", "Answered"), col("turned_away", "Turned away"), col("abandoned", "Abandoned while waiting"), col("auto_ended", "Ended automatically")];

export async function volumeReport(cq: CellQuery): Promise<StatTable[]> {
  const cells = await hourCells(cq, "day", ["requests", "answered", "turned_away", "abandoned", "auto_ended", "rolled_over", "partner_answered"]);
  const all = total(cells);
  const totals = table(
    "totals",
    "Totals",
    "Every request in the range and what became of it.",
    [...OUTCOME_COLUMNS, col("answered_share", "Answered (%)", "percent"), col("rolled_over", "Rolled over"), col("partner_answered", "Answered by a partner")],
    [[all.requests!, all.answered!, all.turned_away!, all.abandoned!, all.auto_ended!, sharePercent(all.answered!, all.requests!), all.rolled_over!, all.partner_answered!]],
    { type: "bars", x: "requests", series: ["answered", "turned_away", "abandoned"], unit: "requests" },
  );
  const byUnit = (unit: "day" | "week" | "month", title: string, label: string) => {
    const sums = sumBy(cells, (c) => periodOf(c.day, unit));
    const rows = periods(cq.window, unit).map((p) => {
      const m = sums.get(p.start) ?? zeroMeasures(HOUR_MEASURES);
      return [p.label, m.requests!, m.answered!, m.turned_away!, m.abandoned!, m.auto_ended!];
    });
    return table(`by-${unit}`, title, `Requests by ${unit}${unit === "week" ? " (weeks start on Monday; the first and last may be partly outside the range)" : ""}.`, [col("period", `${label} (${cq.window.zone})`, "period"), ...OUTCOME_COLUMNS], rows, {
      type: unit === "day" ? "lines" : "bars",
      x: "period",
      series: ["requests", "answered", "turned_away", "abandoned"],
      unit: "requests",
    });
  };
  return [totals, byUnit("day", "By day", "Day"), byUnit("week", "By week", "Week starting"), byUnit("month", "By month", "Month")];
}
