/**
 * Statistics' HTTP API: the reports, the filters every report takes (one zod
 * schema; the JSON API, the CSV downloads and the /stats pages validate with
 * it, so a bookmarked page and an API call mean the same), and the shape of
 * a report. docs/statistics.md defines every figure.
 */
import { z } from "zod";
import { codeSchema, slugSchema } from "./api";
import { FILED_RESOLUTION_VALUES } from "./codes";
import { parseEmbedOrigin } from "./embed-origin";

export const STAT_REPORTS = ["volume", "when", "waits", "codes", "people", "cooperative", "planning", "feedback"] as const;
export type StatReportId = (typeof STAT_REPORTS)[number];

export const STAT_REPORT_TITLES: Record<StatReportId, string> = {
  volume: "Volume",
  when: "When patrons ask",
  waits: "Waiting and length",
  codes: "Codes",
  people: "People and coverage",
  cooperative: "Cooperative",
  planning: "Planning",
  feedback: "Feedback",
};

/** Whose figures: the signed-in librarian's own chats, a library's, or a cooperative's. */
export const STAT_SCOPES = ["me", "library", "group"] as const;
export type StatScopeKind = (typeof STAT_SCOPES)[number];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A query parameter left empty (as a GET form sends it) counts as not given. */
const param = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

/** Dates a filter may name. */
export const STAT_DATE_LIMITS = { firstYear: 2000, lastYear: 2100, maxDays: 1830 } as const;

const dateParam = z
  .string()
  .regex(DATE, "Use the form YYYY-MM-DD")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "Not a real date")
  .refine((d) => {
    const year = Number(d.slice(0, 4));
    return year >= STAT_DATE_LIMITS.firstYear && year <= STAT_DATE_LIMITS.lastYear;
  }, `Choose a date from ${STAT_DATE_LIMITS.firstYear} to ${STAT_DATE_LIMITS.lastYear}`);

const librarianIdSchema = z.string().min(1).max(100).regex(/^[A-Za-z0-9_.:-]+$/, "Not a valid librarian id");
const queueIdSchema = z.string().regex(/^(lib|group):[a-z0-9][a-z0-9-]{0,62}$/, "Not a queue: lib:<library id> or group:<group id>");
const siteSchema = z.string().max(300).transform((v, ctx) => {
  const parsed = parseEmbedOrigin(v);
  if (!parsed.ok) {
    ctx.addIssue({ code: "custom", message: parsed.message });
    return z.NEVER;
  }
  return parsed.origin;
});

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

export const statsQuerySchema = z
  .object({
    scope: param(z.enum(STAT_SCOPES, { message: `Choose one of: ${STAT_SCOPES.join(", ")}` }).describe("Whose figures: a librarian's own chats, a library's, or a cooperative's (default: the widest the caller has).")),
    group: param(slugSchema.describe("The cooperative, with scope=group (default: the caller's library's first).")),
    library: param(slugSchema.describe("With scope=library, which library (a service administrator's choice); with scope=group, one member.")),
    from: param(dateParam.describe("The first day, in the report's time zone (default: 29 days before `to`).")),
    to: param(dateParam.describe("The last day, in the report's time zone (default: today).")),
    queue: param(queueIdSchema.describe("A queue the request was shown in.")),
    source: param(z.enum(["hosted", "qwidget"], { message: "Choose hosted or qwidget" }).describe("`hosted`: Refdesk's own request form; `qwidget`: the Qwidget on a library's site.")),
    site: param(siteSchema.describe("The site the Qwidget ran on, as an origin (https://www.library.org).")),
    librarian: param(librarianIdSchema.describe("The librarian who answered (ended) the chat.")),
    resolution: param(z.enum(FILED_RESOLUTION_VALUES, { message: "Not a resolution code" }).describe("A resolution code.")),
    code: param(codeSchema.describe("A descriptive code the chat carries.")),
    answered: param(z.enum(["home", "partner"], { message: "Choose home or partner" }).describe("Answered by the patron's own library, or by a partner.")),
    rating: param(z.enum(["1", "2", "3", "4", "5", "rated", "unrated"], { message: "Choose 1 to 5, rated or unrated" }).describe("A rating, `rated`, or `unrated` (answered and not rated).")),
    leftOut: param(z.enum(["exclude", "include"], { message: "Choose exclude or include" }).describe("`include` counts practice and spam chats too (left out by default).")),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: "The last day is before the first day", path: ["to"] })
  .refine((v) => !v.from || !v.to || daysBetween(v.from, v.to) <= STAT_DATE_LIMITS.maxDays, {
    message: `A report covers at most ${STAT_DATE_LIMITS.maxDays} days (about five years)`,
    path: ["to"],
  })
  .refine((v) => v.scope === "group" || !v.group, { message: "A group is chosen only with scope=group", path: ["group"] });
export type StatsQuery = z.output<typeof statsQuerySchema>;

/** A table's column: its key (also the JSON field), its header, and what its values are. */
export interface StatColumn {
  key: string;
  label: string;
  kind: "text" | "count" | "seconds" | "percent" | "hours" | "rating" | "period";
}

export type StatCell = string | number | null;

/** How a table is drawn: which column runs along the axis and which are drawn. */
export interface StatChart {
  type: "bars" | "lines" | "heatmap";
  /** The column of the axis (categories). */
  x: string;
  /** The columns drawn (for a heatmap: every column but `x`). */
  series: string[];
  /** What the drawn numbers are, for the axis. */
  unit: string;
}

export interface StatTable {
  id: string;
  title: string;
  description: string;
  columns: StatColumn[];
  rows: StatCell[][];
  chart: StatChart | null;
}

/** A patron's comment with their rating: for administrators of the patron's library only, never exported. */
export interface StatComment {
  date: string;
  rating: number | null;
  librarian: string | null;
  library: string | null;
  comment: string;
}

export interface StatReport {
  report: StatReportId;
  title: string;
  /** Whose figures, in words. */
  scope: { kind: StatScopeKind; id: string; name: string };
  /** The time zone days and hours are counted in. */
  timeZone: string;
  from: string;
  to: string;
  /** The filters in force, as given (empty ones left out). */
  filters: Record<string, string>;
  /** When the figures were read. */
  generatedAt: string;
  tables: StatTable[];
  /** Feedback only, for administrators of the patrons' library: the latest comments (null when this viewer may not read them). */
  comments?: StatComment[] | null;
  /** Things to know about these figures. */
  notes: string[];
}
