/**
 * The lists: New, Mine, Pending, Answered, Closed (and All), each with its
 * count under the current search; the search form; one page of questions;
 * the pager. Everything lives in the address (a GET form and plain links),
 * so Back, bookmarks and reloads all work.
 */
import { useEffect, useState } from "preact/hooks";
import { ALL_RESOLUTIONS } from "../../shared/codes";
import { RATING } from "../../shared/limits";
import { QUESTION_LISTS, QUESTION_LIST_LABELS, type QuestionList } from "../../shared/question-rules";
import type { QuestionFilters, QuestionListResponse, QuestionSummary, QuestionsBootstrap } from "../../shared/questions-api";
import { api, type ApiFailure } from "../monitor/api";
import { DataTable } from "../shared/DataTable";
import { excerpt, formatWhen, isoTime, resolutionText, statusText } from "./format";

/** The search parameters the form sets (besides the list and the page). */
const SEARCH_KEYS = ["q", "email", "from", "to", "code", "resolution", "librarian", "order", "hidden"] as const;

const LIST_DESCRIPTIONS: Record<QuestionList, string> = {
  new: "New questions nobody has taken yet",
  mine: "Open questions assigned to you",
  pending: "Questions being followed up",
  answered: "Answered questions",
  closed: "Closed questions",
  all: "All questions",
};

const ORDERS = [
  { value: "newest", label: "Newest first" },
  { value: "oldest", label: "Oldest first" },
];

function currentList(params: URLSearchParams): QuestionList {
  const list = params.get("list");
  return (QUESTION_LISTS as readonly string[]).includes(list ?? "") ? (list as QuestionList) : "new";
}

/** The address of the same search with some parameters changed (a page number is dropped unless given). */
function hrefWith(params: URLSearchParams, change: Record<string, string | null>): string {
  const next = new URLSearchParams(params);
  next.delete("page");
  for (const [k, v] of Object.entries(change)) {
    if (v === null || v === "") next.delete(k);
    else next.set(k, v);
  }
  const query = next.toString();
  return query ? `/questions?${query}` : "/questions";
}

export function ListPage({ boot }: { boot: QuestionsBootstrap }) {
  const params = new URLSearchParams(location.search);
  const list = currentList(params);
  const searching = SEARCH_KEYS.some((k) => k !== "order" && params.get(k));
  const [result, setResult] = useState<QuestionListResponse | null>(null);
  const [error, setError] = useState<ApiFailure | null>(null);
  const [filters, setFilters] = useState<QuestionFilters>({ librarians: [], codes: [] });

  useEffect(() => {
    const query = new URLSearchParams(params);
    query.set("list", list);
    void api<QuestionListResponse>(`/api/questions?${query}`).then((r) => (r.ok ? setResult(r.data) : setError(r.error)));
    void api<QuestionFilters>("/api/questions/filters").then((r) => r.ok && setFilters(r.data));
  }, []);

  useEffect(() => {
    document.title = `${QUESTION_LIST_LABELS[list]}${result ? ` (${result.total})` : ""} — Questions — Refdesk`;
  }, [result]);

  const value = (key: string) => params.get(key) ?? "";
  const errorFor = (field: string) => (error?.field === field ? "search-error" : undefined);

  return (
    <div class="questions-list">
      <h1>Questions</h1>
      <nav aria-label="Question lists" class="list-tabs">
        <ul>
          {QUESTION_LISTS.map((l) => (
            <li key={l}>
              <a href={hrefWith(params, { list: l })} aria-current={l === list ? "page" : undefined}>
                {QUESTION_LIST_LABELS[l]} <span class="count">({result ? result.counts[l] : "…"})</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>

      <form method="get" action="/questions" role="search" aria-label="Search questions" class="search-form">
        <input type="hidden" name="list" value={list} />
        <div class="field wide">
          <label for="s-q">Words in the question or transcript</label>
          <input id="s-q" name="q" type="search" defaultValue={value("q")} aria-describedby={errorFor("q")} />
        </div>
        <div class="field">
          <label for="s-email">Patron e-mail</label>
          <input id="s-email" name="email" type="text" inputMode="email" autoComplete="off" defaultValue={value("email")} aria-describedby={errorFor("email")} />
        </div>
        <div class="field">
          <label for="s-from">Received from</label>
          <input id="s-from" name="from" type="date" defaultValue={value("from")} aria-describedby={errorFor("from")} />
        </div>
        <div class="field">
          <label for="s-to">Received to</label>
          <input id="s-to" name="to" type="date" defaultValue={value("to")} aria-describedby={errorFor("to")} />
        </div>
        <SearchSelect
          name="code"
          label="Descriptive code"
          any="Any code"
          choices={filters.codes.map((c) => ({ value: c.code, label: c.active ? c.label : `${c.label} (hidden)` }))}
          current={value("code")}
          describedBy={errorFor("code")}
        />
        <SearchSelect name="resolution" label="Resolution" any="Any resolution" choices={ALL_RESOLUTIONS.map((r) => ({ value: r.code, label: r.label }))} current={value("resolution")} />
        <SearchSelect name="librarian" label="Librarian" any="Anyone" choices={filters.librarians.map((l) => ({ value: l.id, label: l.name }))} current={value("librarian")} />
        <SearchSelect name="order" label="Order" choices={ORDERS} current={value("order") === "oldest" ? "oldest" : "newest"} />
        <div class="field checkbox">
          <input id="s-hidden" name="hidden" type="checkbox" value="include" defaultChecked={value("hidden") === "include"} />
          <label for="s-hidden">Include spam (hidden) questions</label>
        </div>
        <div class="search-actions">
          <button type="submit" class="primary">
            Search
          </button>
          {searching ? <a href={hrefWith(new URLSearchParams(), { list })}>Clear the search</a> : null}
        </div>
      </form>

      {error ? (
        <div class="error-summary" role="alert" id="search-error">
          <p>{error.message}</p>
        </div>
      ) : null}

      <p role="status" class="result-summary">
        {result ? summaryText(result, list, searching) : error ? "" : "Loading the questions…"}
      </p>
      {result && result.questions.length > 0 ? <QuestionTable questions={result.questions} list={list} order={result.order} boot={boot} /> : null}
      {result && result.pages > 1 ? <Pager params={params} result={result} /> : null}
    </div>
  );
}

/** One of the search form's lists, showing the choice the address holds. */
function SearchSelect({ name, label, any, choices, current, describedBy }: { name: string; label: string; any?: string; choices: { value: string; label: string }[]; current: string; describedBy?: string }) {
  return (
    <div class="field">
      <label for={`s-${name}`}>{label}</label>
      <select id={`s-${name}`} name={name} aria-describedby={describedBy}>
        {any ? <option value="">{any}</option> : null}
        {choices.map((c) => (
          <option key={c.value} value={c.value} selected={c.value === current}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function summaryText(r: QuestionListResponse, list: QuestionList, searching: boolean): string {
  const what = `${r.total} ${r.total === 1 ? "question" : "questions"} in ${QUESTION_LIST_LABELS[list]}${searching ? " matching the search" : ""}`;
  if (r.total === 0) return `No questions in ${QUESTION_LIST_LABELS[list]}${searching ? " match the search" : ""}.`;
  return `${what}. Page ${r.page} of ${r.pages}.`;
}

function QuestionTable({ questions, list, order, boot }: { questions: QuestionSummary[]; list: QuestionList; order: "newest" | "oldest"; boot: QuestionsBootstrap }) {
  return (
    <DataTable
      class="questions-table"
      caption={`${LIST_DESCRIPTIONS[list]}, ${order} first`}
      scroll={{ "aria-label": "Questions found" }}
      rows={questions}
      rowKey={(q) => q.id}
      columns={[
        { header: "Received", cell: (q) => <time dateTime={isoTime(q.createdAt)}>{formatWhen(q.createdAt, boot.timeZone)}</time> },
        {
          header: "Question",
          cell: (q) => (
            <>
              <a href={`/questions/${q.id}`}>{excerpt(q.question, 140)}</a>
              <span class="flags">
                {q.source === "email" ? <span class="flag">Left by e-mail</span> : null}
                {q.libraryId !== boot.librarian.libraryId ? (
                  <span class="flag">
                    <bdi>{q.libraryName}</bdi>
                  </span>
                ) : null}
                {q.hidden ? <span class="flag">Spam</span> : null}
                {q.failedMails > 0 ? <span class="flag flag-danger">{q.failedMails === 1 ? "A mail failed" : `${q.failedMails} mails failed`}</span> : null}
              </span>
            </>
          ),
        },
        {
          header: "Patron",
          cell: (q) => (
            <>
              {q.patronName ? <bdi>{q.patronName}</bdi> : "Anonymous"}
              {q.patronEmail ? <span class="muted"> {q.patronEmail}</span> : null}
            </>
          ),
        },
        { header: "Status", cell: (q) => statusText(q.status) },
        { header: "Owner", cell: (q) => (q.assignee ? <bdi>{q.assignee.name}</bdi> : "Nobody") },
        { header: "Resolution", cell: (q) => resolutionText(q.resolution) },
        { header: "Rating", cell: (q) => (q.rating ? `${q.rating} of ${RATING.highest}` : "—") },
      ]}
    />
  );
}

function Pager({ params, result }: { params: URLSearchParams; result: QuestionListResponse }) {
  const page = (n: number) => hrefWith(params, { page: String(n) });
  return (
    <nav aria-label="Pages" class="pager">
      {result.page > 1 ? (
        <a href={page(result.page - 1)} rel="prev">
          Previous page
        </a>
      ) : null}
      <span>
        Page {result.page} of {result.pages}
      </span>
      {result.page < result.pages ? (
        <a href={page(result.page + 1)} rel="next">
          Next page
        </a>
      ) : null}
    </nav>
  );
}
