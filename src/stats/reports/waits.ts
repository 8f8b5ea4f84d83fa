/** Waiting and length: how long patrons waited to be answered and how long chats lasted, by hour; the share answered within 30 s, 60 s and 2 min. */
import type { StatCell, StatTable } from "../../shared/stats-api";
import { ANSWERED_WITHIN_S, countWithin, sharePercent } from "../definitions";
import { hourCells, type CellQuery } from "../cells";
import { HOUR_MEASURES, zeroMeasures, type Measures } from "../measures";

/** What this report reads of each hour: answered chats, their waits and lengths. */
const WAIT_COLUMNS = HOUR_MEASURES.map((m) => m.column).filter((c) => c === "answered" || /^(wait|duration)_|^[wd]\d+$/.test(c));
import { col, hourLabel, sumBy, table, total, waitFigures } from "./common";

const COLUMNS = [
  col("answered", "Answered"),
  col("wait_p50", "Wait, median (s)", "seconds"),
  col("wait_p90", "Wait, 90th percentile (s)", "seconds"),
  col("wait_max", "Wait, longest (s)", "seconds"),
  col("wait_mean", "Wait, mean (s)", "seconds"),
  ...ANSWERED_WITHIN_S.map((s) => col(`within_${s}`, `Answered within ${s < 120 ? `${s} s` : `${s / 60} min`} (%)`, "percent")),
  col("duration_p50", "Length, median (s)", "seconds"),
  col("duration_p90", "Length, 90th percentile (s)", "seconds"),
  col("duration_max", "Length, longest (s)", "seconds"),
  col("duration_mean", "Length, mean (s)", "seconds"),
];

function figures(m: Measures): StatCell[] {
  const answered = m.answered ?? 0;
  const f = waitFigures(m, answered);
  return [answered, f.waitP50, f.waitP90, f.waitMax, f.waitMean, ...ANSWERED_WITHIN_S.map((s) => sharePercent(countWithin(f.waitBins, s), answered)), f.durationP50, f.durationP90, f.durationMax, f.durationMean];
}

export async function waitsReport(cq: CellQuery): Promise<StatTable[]> {
  const cells = await hourCells(cq, "hour", WAIT_COLUMNS);
  const byHour = sumBy(cells, (c) => c.hour);
  const overall = table("overall", "Overall", "Answered chats in the range: waits and lengths.", COLUMNS, [figures(total(cells))], {
    type: "bars",
    x: "answered",
    series: ANSWERED_WITHIN_S.map((s) => `within_${s}`),
    unit: "%",
  });
  const hours = table(
    "by-hour",
    "By hour of day",
    "Waits and lengths of the chats answered in each hour (the hour the patron asked in).",
    [col("hour", `Hour (${cq.window.zone})`, "text"), ...COLUMNS],
    Array.from({ length: 24 }, (_, h) => [hourLabel(h), ...figures(byHour.get(h) ?? zeroMeasures(HOUR_MEASURES))]),
    { type: "lines", x: "hour", series: ["wait_p50", "wait_p90"], unit: "seconds" },
  );
  return [overall, hours];
}
