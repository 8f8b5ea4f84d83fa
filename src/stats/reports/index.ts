/**
 * A report, whole: the scope and filters checked, the days in the report's
 * zone, the tables built from the cells, and notes on what the figures mean.
 * The JSON API, the CSV downloads and the /stats pages all come through here.
 */
import type { Librarian } from "../../auth/librarian";
import { badRequest } from "../../http/errors";
import { STAT_DATE_LIMITS, STAT_REPORT_TITLES, type StatReport, type StatReportId, type StatsQuery, type StatTable } from "../../shared/stats-api";
import { windowOf, type CellQuery } from "../cells";
import { DEFAULT_RANGE_DAYS } from "../definitions";
import { dateOf, dayNumber, localCell } from "../local-time";
import { catchUpPresence } from "../presence-catch-up";
import { resolveScope, type ResolvedScope } from "../scope";
import { codesReport } from "./codes";
import { cooperativeReport } from "./cooperative";
import { feedbackComments, feedbackReport } from "./feedback";
import { peopleReport } from "./people";
import { planningReport } from "./planning";
import { volumeReport } from "./volume";
import { waitsReport } from "./waits";
import { whenReport } from "./when";

const BUILDERS: Record<StatReportId, (cq: CellQuery) => Promise<StatTable[]>> = {
  volume: volumeReport,
  when: whenReport,
  waits: waitsReport,
  codes: codesReport,
  people: peopleReport,
  cooperative: cooperativeReport,
  planning: planningReport,
  feedback: feedbackReport,
};

/** Reports that show coverage: presence is brought up to date before they are read. */
const USES_PRESENCE = new Set<StatReportId>(["people", "planning"]);

/** The days a query covers in `zone`: as given, else the last DEFAULT_RANGE_DAYS days up to today. */
export function daysOf(q: StatsQuery, zone: string, now: number): { fromDay: number; toDay: number } {
  const today = localCell(zone, now).day;
  const toDay = q.to ? dayNumber(q.to) : q.from ? Math.min(dayNumber(q.from) + DEFAULT_RANGE_DAYS - 1, Math.max(today, dayNumber(q.from))) : today;
  const fromDay = q.from ? dayNumber(q.from) : toDay - DEFAULT_RANGE_DAYS + 1;
  if (fromDay > toDay) throw badRequest("The last day is before the first day", "to");
  if (toDay - fromDay + 1 > STAT_DATE_LIMITS.maxDays) throw badRequest(`A report covers at most ${STAT_DATE_LIMITS.maxDays} days (about five years)`, "to");
  return { fromDay, toDay };
}

function notesFor(report: StatReportId, scope: ResolvedScope, q: StatsQuery): string[] {
  const notes: string[] = [];
  if (scope.kind === "group" && !scope.library) notes.push(`Days and hours are counted in ${scope.zone}${scope.zone === scope.group?.zone ? ", the cooperative's time zone" : ""}.`);
  else notes.push(`Days and hours are counted in ${scope.zone}.`);
  if (q.leftOut !== "include") notes.push("Practice and spam chats are left out.");
  if (scope.kind === "group") notes.push("A chat counts for a cooperative when its patron's library or the library that answered it was a member when the chat was filed.");
  if (USES_PRESENCE.has(report)) notes.push("Coverage counts monitoring stretches once they have ended: a librarian monitoring now is counted when they stop.");
  if (USES_PRESENCE.has(report) && (q.resolution || q.code || q.rating || q.source || q.site || q.answered)) notes.push("Coverage is not narrowed by the chat filters (resolution, code, rating, source, site, answered).");
  return notes;
}

/** Builds one report for a signed-in librarian. */
export async function buildReport(d1: D1Database, viewer: Librarian, report: StatReportId, q: StatsQuery, now = Date.now()): Promise<StatReport> {
  const scope = await resolveScope(d1, viewer, q);
  const { fromDay, toDay } = daysOf(q, scope.zone, now);
  const cq: CellQuery = { d1, scope, q, window: windowOf(scope.zone, fromDay, toDay) };
  if (USES_PRESENCE.has(report)) await catchUpPresence(d1, now);
  const [tables, comments] = await Promise.all([BUILDERS[report](cq), report === "feedback" ? feedbackComments(cq) : Promise.resolve(undefined)]);
  const filters = Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== "").map(([k, v]) => [k, String(v)]));
  return {
    report,
    title: STAT_REPORT_TITLES[report],
    scope: { kind: scope.kind, id: scope.id, name: scope.name },
    timeZone: scope.zone,
    from: dateOf(fromDay),
    to: dateOf(toDay),
    filters,
    generatedAt: new Date(now).toISOString(),
    tables,
    ...(report === "feedback" ? { comments } : {}),
    notes: notesFor(report, scope, q),
  };
}
