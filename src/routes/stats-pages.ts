/**
 * /stats and /stats/:report — the statistics pages (src/stats/page.ts): the
 * same reports as /api/stats, with charts, tables and CSV links. A filter that
 * cannot be used shows the page again with the problem at its field (400 or 403).
 */
import { Hono, type Context } from "hono";
import type { Librarian } from "../auth/librarian";
import type { AppEnv } from "../http/app-env";
import { ApiError } from "../http/errors";
import { STAT_REPORTS, statsQuerySchema, type StatReport, type StatReportId, type StatsQuery } from "../shared/stats-api";
import { statOptions } from "../stats/options";
import { statsPage, type FieldProblem } from "../stats/page";
import { buildReport } from "../stats/reports/index";
import { resolveScope } from "../stats/scope";
import { SIGNED_IN_PAGE } from "./openapi/callers";
import { documentedPage } from "./openapi/pages";

export const statsPageRoutes = new Hono<AppEnv>();

const FILTERS = Object.keys(statsQuerySchema.shape);

/** The query's filters as given, for the form to show them again. */
function rawValues(c: Context<AppEnv>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.req.query())) if (FILTERS.includes(k)) out[k] = v.slice(0, 300);
  return out;
}

async function render(c: Context<AppEnv>, librarian: Librarian, report: StatReportId) {
  const values = rawValues(c);
  let problem: FieldProblem | null = null;
  let status: 200 | 400 | 403 = 200;
  let built: StatReport | null = null;
  let query: StatsQuery = {} as StatsQuery;
  const parsed = statsQuerySchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    problem = { message: issue.message, field: issue.path.join(".") || undefined };
    status = 400;
  } else {
    query = parsed.data;
    try {
      built = await buildReport(c.env.DB, librarian, report, query);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      problem = { message: error.message, field: error.field };
      status = error.status === 403 ? 403 : 400;
    }
  }
  // The form offers what the scope asked for allows; after a refusal, what the viewer's own default allows.
  const scope = await resolveScope(c.env.DB, librarian, built ? query : ({} as StatsQuery));
  const options = await statOptions(c.env.DB, scope);
  const shown = { ...values, scope: values.scope || scope.kind, ...(scope.kind === "group" && !values.group ? { group: scope.id } : {}) };
  return c.html(statsPage({ viewer: librarian, path: new URL(c.req.url).pathname, report, values: shown, options, built, problem }), status);
}

function signInFirst(c: Context<AppEnv>) {
  const url = new URL(c.req.url);
  return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
}

statsPageRoutes.get("/stats", documentedPage({
  summary: "Statistics",
  description: "Statistics and planning: the Volume report (the other reports are a link away). Filters are query parameters, as for `GET /api/stats/{report}`.",
  who: SIGNED_IN_PAGE,
  query: statsQuerySchema,
  answers: { 200: "The page.", 303: "To `/login?next=…` when not signed in.", 400: "The page, saying which filter cannot be used.", 403: "The page, saying which filter asks for figures this librarian may not see." },
}), (c) => {
  const librarian = c.get("librarian");
  return librarian ? render(c, librarian, "volume") : signInFirst(c);
});

statsPageRoutes.get("/stats/:report", documentedPage({
  summary: "A statistics report",
  description: `One report: ${STAT_REPORTS.map((r) => `\`${r}\``).join(", ")} (anything else: 404).`,
  who: SIGNED_IN_PAGE,
  params: { report: { description: "The report." } },
  query: statsQuerySchema,
  answers: { 200: "The page.", 303: "To `/login?next=…` when not signed in.", 400: "The page, saying which filter cannot be used.", 403: "The page, saying which filter asks for figures this librarian may not see.", 404: "No such report." },
}), async (c) => {
  const librarian = c.get("librarian");
  if (!librarian) return signInFirst(c);
  const report = c.req.param("report");
  if (!(STAT_REPORTS as readonly string[]).includes(report)) throw new ApiError(404, "not_found", "No such report.");
  return render(c, librarian, report as StatReportId);
});
