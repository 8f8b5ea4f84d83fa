/**
 * Codes: how chats were resolved, and the descriptive codes they carry with
 * their trend. Codes are counted by their identifier and shown under their
 * current label (renamed or hidden codes keep their history).
 */
import { and, inArray } from "drizzle-orm";
import { database } from "../../db/client";
import { descriptiveCodes } from "../../db/schema";
import { resolutionLabel, type FiledResolution } from "../../shared/codes";
import type { StatTable } from "../../shared/stats-api";
import { sharePercent } from "../definitions";
import { codeCells, type CellQuery } from "../cells";
import { col, periods, table } from "./common";

/** How many codes the trend follows (the most used in the range). */
const TREND_CODES = 8;

/** Current labels of the scope's codes: the viewer's own library's label first, else the first library's (by name). */
async function codeLabels(cq: CellQuery, codes: string[]): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  if (codes.length === 0) return labels;
  const libraryIds = cq.scope.libraries.map((l) => l.id);
  const db = database(cq.d1);
  const rows = (
    await Promise.all(
      Array.from({ length: Math.ceil(codes.length / 80) }, (_, i) => codes.slice(i * 80, i * 80 + 80)).map((chunk) =>
        db.select({ libraryId: descriptiveCodes.libraryId, code: descriptiveCodes.code, label: descriptiveCodes.label }).from(descriptiveCodes).where(and(inArray(descriptiveCodes.code, chunk), inArray(descriptiveCodes.libraryId, libraryIds.slice(0, 15)))).all(),
      ),
    )
  ).flat();
  const rank = (libraryId: string) => (libraryId === cq.scope.viewer.libraryId ? -1 : libraryIds.indexOf(libraryId));
  for (const r of rows.sort((a, b) => rank(a.libraryId) - rank(b.libraryId))) if (!labels.has(r.code)) labels.set(r.code, r.label);
  return labels;
}

export async function codesReport(cq: CellQuery): Promise<StatTable[]> {
  const unit = cq.window.toDay - cq.window.fromDay < 92 ? "week" : "month";
  const cells = await codeCells(cq, unit);
  const resolutions = new Map<string, number>();
  const descriptive = new Map<string, number>();
  for (const c of cells) {
    const into = c.kind === "resolution" ? resolutions : descriptive;
    into.set(c.code, (into.get(c.code) ?? 0) + c.n);
  }
  const chats = [...resolutions.values()].reduce((a, b) => a + b, 0);
  const labels = await codeLabels(cq, [...descriptive.keys()]);
  const byCount = <K>(m: Map<K, number>) => [...m].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
  const resolutionTable = table(
    "resolutions",
    "Resolution codes",
    "How the chats in the range were resolved (one code each).",
    [col("code", "Code", "text"), col("label", "Resolution", "text"), col("chats", "Chats"), col("share", "Share of chats (%)", "percent")],
    byCount(resolutions).map(([code, n]) => [code, resolutionLabel(code as FiledResolution), n, sharePercent(n, chats)]),
    { type: "bars", x: "label", series: ["chats"], unit: "chats" },
  );
  const descriptiveTable = table(
    "descriptive",
    "Descriptive codes",
    "Chats carrying each descriptive code (a chat may carry up to four).",
    [col("code", "Code", "text"), col("label", "Label", "text"), col("chats", "Chats"), col("share", "Share of chats (%)", "percent")],
    byCount(descriptive).map(([code, n]) => [code, labels.get(code) ?? code, n, sharePercent(n, chats)]),
    { type: "bars", x: "label", series: ["chats"], unit: "chats" },
  );
  const followed = byCount(descriptive).slice(0, TREND_CODES).map(([code]) => code);
  const trend = new Map<string, number>();
  for (const c of cells) if (c.kind === "descriptive") trend.set(`${c.period}:${c.code}`, (trend.get(`${c.period}:${c.code}`) ?? 0) + c.n);
  const trendTable = table(
    "trend",
    `Trend of the ${followed.length || ""} most used descriptive codes`.replace("  ", " "),
    `Chats carrying each code, by ${unit}${unit === "week" ? " (weeks start on Monday)" : ""}.`,
    [col("period", `${unit === "week" ? "Week starting" : "Month"} (${cq.window.zone})`, "period"), ...followed.map((code) => col(code, labels.get(code) ?? code))],
    periods(cq.window, unit).map((p) => [p.label, ...followed.map((code) => trend.get(`${p.start}:${code}`) ?? 0)]),
    followed.length ? { type: "lines", x: "period", series: followed, unit: "chats" } : null,
  );
  return [resolutionTable, descriptiveTable, trendTable];
}
