/**
 * The /stats pages, rendered on the server: the filters as a plain GET form
 * (so every view is a bookmarkable URL), a link per report, and for each of the
 * report's tables its chart (SVG), the table with the same numbers, and its
 * CSV. Works without script; /build/stats.js only adds a live refresh.
 */
import { html, raw } from "hono/html";
import type { Librarian } from "../auth/librarian";
import { page, type Html } from "../pages/layout";
import { appHeader } from "../pages/app-header";
import { STAT_REPORT_TITLES, STAT_REPORTS, type StatReport, type StatReportId, type StatTable } from "../shared/stats-api";
import { chartSvg } from "./charts";
import type { Choice, StatOptions } from "./options";

export interface FieldProblem {
  message: string;
  field?: string;
}

export interface StatsPageInput {
  viewer: Librarian;
  /** The page's path (the header marks the current place). */
  path: string;
  report: StatReportId;
  /** The query as given (echoed back into the form). */
  values: Record<string, string>;
  options: StatOptions;
  built: StatReport | null;
  problem: FieldProblem | null;
}

/** What each report counts, briefly (docs/statistics.md has every definition). */
const ABOUT: Record<StatReportId, string> = {
  volume: "Every chat request, by the day it came in: answered (a librarian accepted it), turned away (shown the library's alternatives: nobody monitoring, or nobody came within the wait limit), abandoned while waiting (the patron left first), and ended automatically (an answered chat that went quiet).",
  when: "When requests come in: by hour of day, day of week, and each hour of the week.",
  waits: "Waiting starts when the patron sends the request and ends when a librarian accepts it; a chat lasts from then until it ends. Percentiles are read to the edge of the bin they fall in (10, 20, 30, 45, 60, 90, 120, 180, 300, 600 s; lengths 1, 2, 3, 4, 5, 7, 10, 15, 20, 30, 45, 60 min), never beyond the longest.",
  codes: "Resolution codes (one per chat) and descriptive codes (up to four), under each code's current label — renamed or hidden codes keep their history.",
  people: "Each librarian's answered chats (the librarian who ended them), hours monitored from presence (one person monitoring two queues at once counts once), and how often each script was used since it was made.",
  cooperative: "Who answered whose patrons, each member's balance, and requests that rolled over to a cooperative queue. Counts only.",
  planning: "For each hour of the week: demand, staffing (librarians monitoring on average), failures, and the coverage schedule. A patron lost in an hour nobody monitored is one a single librarian would have reached; staffing needed is the average number of chats going on at once ÷ 2, at least one where anybody asks.",
  feedback: "Patrons' ratings of answered chats, and the answers to the library's own survey questions (written answers are counted, never shown). Comments are shown to administrators of the patrons' own library only, and go with the chat when its retention period ends.",
};

const FIELD_LABELS: Record<string, string> = {
  scope: "Whose figures",
  group: "Cooperative",
  library: "Library",
  from: "First day",
  to: "Last day",
  queue: "Queue",
  source: "Source",
  site: "Site",
  librarian: "Librarian",
  resolution: "Resolution code",
  code: "Descriptive code",
  answered: "Answered",
  rating: "Rating",
  leftOut: "Practice and spam",
};

const query = (values: Record<string, string>) => {
  const p = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== ""));
  const s = p.toString();
  return s ? `?${s}` : "";
};

function select(name: string, values: Record<string, string>, choices: Choice[], problem: FieldProblem | null, any = "Any"): Html {
  const invalid = problem?.field === name;
  return html`<div class="field${invalid ? " has-error" : ""}">
  <label for="f-${name}">${FIELD_LABELS[name]}</label>
  ${invalid ? html`<p class="field-error" id="f-${name}-error">${problem!.message}</p>` : ""}
  <select id="f-${name}" name="${name}"${invalid ? raw(` aria-invalid="true" aria-describedby="f-${name}-error"`) : ""}>
    ${any ? html`<option value="">${any}</option>` : ""}
    ${choices.map((c) => html`<option value="${c.value}"${values[name] === c.value ? raw(" selected") : ""}>${c.label}</option>`)}
  </select>
</div>`;
}

function dateField(name: "from" | "to", values: Record<string, string>, problem: FieldProblem | null, shown: string): Html {
  const invalid = problem?.field === name;
  return html`<div class="field${invalid ? " has-error" : ""}">
  <label for="f-${name}">${FIELD_LABELS[name]}</label>
  ${invalid ? html`<p class="field-error" id="f-${name}-error">${problem!.message}</p>` : ""}
  <input id="f-${name}" name="${name}" type="date" value="${values[name] ?? shown}"${invalid ? raw(` aria-invalid="true" aria-describedby="f-${name}-error"`) : ""}>
</div>`;
}

const MORE = ["queue", "source", "site", "librarian", "resolution", "code", "answered", "rating", "leftOut"];

function filters(input: StatsPageInput): Html {
  const { values, options, problem, built, report } = input;
  const more = MORE.some((k) => values[k]) || (problem?.field !== undefined && MORE.includes(problem.field));
  return html`<form method="get" action="/stats/${report}" class="stats-filters" aria-labelledby="filters-title">
  <h2 id="filters-title" class="visually-hidden">Filters</h2>
  <div class="filter-row">
    ${select("scope", values, options.scopes, problem, "")}
    ${options.groups.length ? select("group", values, options.groups, problem, values.scope === "group" ? "" : "—") : ""}
    ${options.libraries.length ? select("library", values, options.libraries, problem, "All members") : ""}
    ${dateField("from", values, problem, built?.from ?? "")}
    ${dateField("to", values, problem, built?.to ?? "")}
  </div>
  <details class="more-filters"${more ? raw(" open") : ""}>
    <summary>More filters</summary>
    <div class="filter-row">
      ${select("queue", values, options.queues, problem)}
      ${select("source", values, [{ value: "hosted", label: "Hosted request form" }, { value: "qwidget", label: "Qwidget on a library site" }], problem)}
      ${select("site", values, options.sites, problem)}
      ${options.librarians.length ? select("librarian", values, options.librarians, problem) : ""}
      ${select("resolution", values, options.resolutions, problem)}
      ${select("code", values, options.codes, problem)}
      ${select("answered", values, [{ value: "home", label: "By the patron's library" }, { value: "partner", label: "By a partner library" }], problem, "Either")}
      ${select("rating", values, [...["1", "2", "3", "4", "5"].map((r) => ({ value: r, label: `Rated ${r}` })), { value: "rated", label: "Rated" }, { value: "unrated", label: "Answered, not rated" }], problem)}
      ${select("leftOut", values, [{ value: "include", label: "Include practice and spam" }], problem, "Leave out practice and spam")}
    </div>
  </details>
  <div class="filter-actions">
    <button type="submit" class="primary">Show figures</button>
    <a href="/stats/${report}">Reset filters</a>
  </div>
</form>`;
}

function reportNav(input: StatsPageInput): Html {
  const q = query(input.values);
  return html`<nav class="report-nav" aria-label="Reports">
  <ul>
    ${STAT_REPORTS.map((r) => html`<li><a href="/stats/${r}${q}"${r === input.report ? raw(' aria-current="page"') : ""}>${STAT_REPORT_TITLES[r]}</a></li>`)}
  </ul>
</nav>`;
}

function tableSection(report: StatReport, t: StatTable, values: Record<string, string>): Html {
  const id = `t-${t.id}`;
  const svg = chartSvg(`c-${t.id}`, t);
  return html`<section class="stat-table" aria-labelledby="${id}">
  <h3 id="${id}">${t.title}</h3>
  <p class="table-about">${t.description}</p>
  ${svg ? html`<figure class="chart"><div class="scroll" role="region" aria-label="Chart: ${t.title}" tabindex="0">${raw(svg)}</div></figure>` : ""}
  <div class="scroll" role="region" aria-labelledby="${id}-caption" tabindex="0">
    <table class="stat-data">
      <caption id="${id}-caption">${t.title} (${report.from} to ${report.to})</caption>
      <thead><tr>${t.columns.map((c) => html`<th scope="col" class="${c.kind === "text" || c.kind === "period" ? "" : "num"}">${c.label}</th>`)}</tr></thead>
      <tbody>
        ${t.rows.length === 0 ? html`<tr><td colspan="${t.columns.length}">Nothing to count in this range.</td></tr>` : ""}
        ${t.rows.map((r) => html`<tr>${r.map((cell, i) => (i === 0 ? html`<th scope="row">${cell ?? ""}</th>` : html`<td class="${typeof cell === "number" || cell === null ? "num" : ""}">${cell ?? "—"}</td>`))}</tr>`)}
      </tbody>
    </table>
  </div>
  <p class="download"><a href="/api/stats/${report.report}/${t.id}.csv${query(values)}" download>Download “${t.title}” as CSV</a></p>
</section>`;
}

function comments(report: StatReport): Html {
  if (!report.comments) return html``;
  return html`<section class="stat-table" aria-labelledby="t-comments">
  <h3 id="t-comments">Comments</h3>
  <p class="table-about">The latest comments your library's patrons left with their rating. Shown to administrators only; each goes with its chat when the retention period ends, and comments are never exported.</p>
  ${report.comments.length === 0
    ? html`<p>No comments in this range.</p>`
    : html`<ul class="comments">${report.comments.map((c) => html`<li><p class="comment-meta">${c.date} · rated ${c.rating ?? "—"}${c.librarian ? html` · ${c.librarian}` : ""}${c.library ? html`, ${c.library}` : ""}</p><p class="comment-text">${c.comment}</p></li>`)}</ul>`}
</section>`;
}

function body(input: StatsPageInput): Html {
  const { built, report, problem } = input;
  if (!built) {
    return html`<div class="error-summary" role="alert" id="stats-error"><h2>These figures cannot be shown</h2><p>${problem?.message ?? "Something is wrong with the filters."}${problem?.field ? html` <a href="#f-${problem.field}">Go to “${FIELD_LABELS[problem.field] ?? problem.field}”</a>` : ""}</p></div>`;
  }
  return html`<section class="report" aria-labelledby="report-title" id="report">
  <h2 id="report-title">${STAT_REPORT_TITLES[report]}</h2>
  <p class="report-meta">${built.scope.name} · ${built.from} to ${built.to} · times in ${built.timeZone} · <span class="as-of">figures as of ${built.generatedAt.slice(0, 16).replace("T", " ")} UTC</span></p>
  <p>${ABOUT[report]}</p>
  <ul class="notes">${built.notes.map((n) => html`<li>${n}</li>`)}</ul>
  ${built.tables.map((t) => tableSection(built, t, input.values))}
  ${comments(built)}
  <p class="report-links"><a href="/api/stats/${report}${query(input.values)}">This report as JSON</a></p>
</section>`;
}

export function statsPage(input: StatsPageInput): Html {
  return page({
    title: `${STAT_REPORT_TITLES[input.report]} — Statistics — Refdesk`,
    bodyClass: "stats-module",
    styles: ["/styles/stats.css"],
    scripts: ["/build/stats.js"],
    body: html`${appHeader(input.viewer, input.path)}
<main id="main" tabindex="-1">
  <h1>Statistics: ${STAT_REPORT_TITLES[input.report]}</h1>
  ${filters(input)}
  ${reportNav(input)}
  <p class="live" role="status" aria-live="polite"></p>
  ${body(input)}
</main>`,
  });
}
