/**
 * /api/stats — every statistics report as JSON, each of its tables as CSV,
 * and what the filters offer. Read-only; every report is checked against who
 * asks (src/stats/scope.ts) and counted live from the facts and rollups.
 */
import { Hono } from "hono";
import { requireLibrarian } from "../auth/middleware";
import type { AppEnv } from "../http/app-env";
import { notFound } from "../http/errors";
import { validate } from "../http/validate";
import { STAT_REPORTS, statsQuerySchema, type StatReportId } from "../shared/stats-api";
import { tableCsv } from "../stats/csv";
import { statOptions } from "../stats/options";
import { buildReport } from "../stats/reports/index";
import { resolveScope } from "../stats/scope";
import { signedIn } from "./openapi/callers";
import { documented } from "./openapi/describe";
import { GROUPS } from "./openapi/groups";
import { BAD_QUERY, NOT_SIGNED_IN, refusal } from "./openapi/refusals";

export const statsRoutes = new Hono<AppEnv>();

const READER = signedIn(
  "A signed-in librarian: `scope=me` (the default for a librarian) their own chats; a `library_admin` or higher `scope=library` (their library's patrons' chats and its librarians' answers; any library for a `service_admin`); a `group_admin` `scope=group` for a cooperative their library belongs to (any for a `service_admin`).",
);

const REFUSALS = [
  NOT_SIGNED_IN,
  BAD_QUERY,
  refusal(400, "validation_failed", "A filter names something that does not exist or does not belong to the scope (an unknown library, group, librarian, queue or descriptive code); a range over the limit, or ending before it starts.", "the filter's name"),
  refusal(403, "forbidden", "The scope or a filter asks for figures this librarian may not see (another library's, a cooperative they do not administer, a librarian of an unrelated library).", "`scope`, `library`, `group`, `librarian` or `queue`"),
];

const REPORT_PARAM = { report: { description: `One of ${STAT_REPORTS.map((r) => `\`${r}\``).join(", ")}.` } };

function reportOf(name: string): StatReportId {
  if (!(STAT_REPORTS as readonly string[]).includes(name)) throw notFound("Report");
  return name as StatReportId;
}

statsRoutes.get("/options", documented({
  group: GROUPS.statistics,
  summary: "What the filters offer",
  description: "For the scope the query names (as for a report): the scopes and cooperatives this librarian may choose, the member libraries, queues, librarians, resolution and descriptive codes (hidden ones too), and the sites the libraries allow to embed their Qwidget.",
  who: READER,
  query: statsQuerySchema,
  answers: { 200: "`{scopes, groups, libraries, queues, librarians, resolutions, codes, sites}`, each a list of `{value, label}`." },
  refusals: REFUSALS,
}), async (c) => {
  const librarian = requireLibrarian(c);
  const q = validate(statsQuerySchema, c.req.query());
  return c.json(await statOptions(c.env.DB, await resolveScope(c.env.DB, librarian, q)));
});

statsRoutes.get("/:report", documented({
  group: GROUPS.statistics,
  summary: "A statistics report",
  description:
    "One report, counted now (a chat filed a minute ago is in it): its tables, each the numbers of a chart on the /stats page. Days are the report's time zone's (the library's; a cooperative's own, chosen once). Practice and spam chats are left out unless `leftOut=include`. An empty parameter counts as not given. Feedback adds the patrons' latest comments for administrators of the patrons' own library.",
  who: READER,
  params: REPORT_PARAM,
  query: statsQuerySchema,
  answers: {
    200: "`StatReport` (src/shared/stats-api.ts): `{report, title, scope: {kind, id, name}, timeZone, from, to, filters, generatedAt, tables: [{id, title, description, columns: [{key, label, kind}], rows, chart}], comments?, notes}`; each row lists its cells in the order of `columns`.",
  },
  refusals: [refusal(404, "not_found", "No such report."), ...REFUSALS],
}), async (c) => {
  const report = reportOf(c.req.param("report"));
  const librarian = requireLibrarian(c);
  const q = validate(statsQuerySchema, c.req.query());
  return c.json(await buildReport(c.env.DB, librarian, report, q));
});

statsRoutes.get("/:report/:table{[a-z0-9-]+\\.csv}", documented({
  group: GROUPS.statistics,
  summary: "One table of a report, as CSV",
  description:
    "Exactly the numbers of the report's table `table` (its `id`, with `.csv`): RFC 4180, UTF-8, a header row (the column labels; a day's column names its time zone), days as ISO dates; text a spreadsheet would take for a formula (starting with =, +, -, @) starts with an apostrophe. Comments are never exported.",
  who: READER,
  kind: "script",
  params: { ...REPORT_PARAM, table: { description: "The table's id and `.csv`, e.g. `by-day.csv`." } },
  query: statsQuerySchema,
  answers: { 200: "`text/csv`, as an attachment." },
  refusals: [refusal(404, "not_found", "No such report, or no such table in it."), ...REFUSALS],
}), async (c) => {
  const report = reportOf(c.req.param("report"));
  const librarian = requireLibrarian(c);
  const q = validate(statsQuerySchema, c.req.query());
  const tableId = c.req.param("table").replace(/\.csv$/, "");
  const built = await buildReport(c.env.DB, librarian, report, q);
  const table = built.tables.find((t) => t.id === tableId);
  if (!table) throw notFound("Table");
  const filename = `refdesk-${report}-${table.id}-${built.from}-to-${built.to}.csv`;
  return c.body(tableCsv(table), 200, {
    "Content-Type": "text/csv; charset=utf-8; header=present",
    "Content-Disposition": `attachment; filename="${filename}"`,
    "Cache-Control": "no-store",
  });
});
