/**
 * The module's lists and search: which questions a librarian sees (tenancy),
 * which list each falls in, the search filters, the counts per list and one
 * page of results. Hidden (spam) questions are left out unless asked for.
 */
import type { Librarian } from "../auth/librarian";
import { visibleQuestionsSql } from "../db/tenancy";
import { OPEN_STATUSES, QUESTION_LISTS, type QuestionList } from "../shared/question-rules";
import type { QuestionListQuery, QuestionListResponse } from "../shared/questions-api";
import { endOfDay, startOfDay } from "./dates";
import { SUMMARY_COLUMNS, SUMMARY_FROM, toSummary, type SummaryRow } from "./records";

interface Clause {
  sql: string;
  binds: unknown[];
}

const openStatuses = OPEN_STATUSES.map((s) => `'${s}'`).join(", ");

/** Which questions each list holds (the definitions are in src/shared/question-rules.ts). */
export function listClause(list: QuestionList, librarianId: string): Clause {
  switch (list) {
    case "new":
      return { sql: "q.status = 'new' AND q.assigned_to IS NULL", binds: [] };
    case "mine":
      return { sql: `q.assigned_to = ? AND q.status IN (${openStatuses})`, binds: [librarianId] };
    case "pending":
    case "answered":
    case "closed":
      return { sql: "q.status = ?", binds: [list] };
    case "all":
      return { sql: "1 = 1", binds: [] };
  }
}

/** LIKE pattern for "contains", with the wildcards in the user's text taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The search filters (everything but the list), already scoped to what the
 * librarian may see. JSON columns are read only when valid, so one damaged
 * row cannot break every search.
 */
function filterClauses(librarian: Librarian, query: QuestionListQuery, timeZone: string): Clause[] {
  const visible = visibleQuestionsSql(librarian);
  const clauses: Clause[] = [{ sql: visible.sql, binds: visible.binds }];
  if (query.hidden === "exclude") clauses.push({ sql: "q.hidden = 0", binds: [] });
  if (query.hidden === "only") clauses.push({ sql: "q.hidden = 1", binds: [] });
  if (query.q) {
    const like = containsPattern(query.q);
    clauses.push({
      sql: `(q.question LIKE ? ESCAPE '\\' OR q.patron_name LIKE ? ESCAPE '\\'
        OR EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(cs.transcript) THEN cs.transcript END) m WHERE json_extract(m.value, '$.body') LIKE ? ESCAPE '\\'))`,
      binds: [like, like, like],
    });
  }
  if (query.email) clauses.push({ sql: "q.patron_email LIKE ? ESCAPE '\\'", binds: [containsPattern(query.email)] });
  if (query.from) clauses.push({ sql: "q.created_at >= ?", binds: [startOfDay(query.from, timeZone)] });
  if (query.to) clauses.push({ sql: "q.created_at < ?", binds: [endOfDay(query.to, timeZone)] });
  if (query.code) clauses.push({ sql: "EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(cs.descriptive_codes) THEN cs.descriptive_codes END) d WHERE d.value = ?)", binds: [query.code] });
  if (query.resolution) clauses.push({ sql: "cs.resolution_code = ?", binds: [query.resolution] });
  if (query.librarian) clauses.push({ sql: "(q.assigned_to = ? OR cs.librarian_id = ?)", binds: [query.librarian, query.librarian] });
  return clauses;
}

function joinClauses(clauses: Clause[]): Clause {
  return { sql: clauses.map((c) => `(${c.sql})`).join(" AND "), binds: clauses.flatMap((c) => c.binds) };
}

/** One page of a list, with the count of every list under the same search. */
export async function searchQuestions(db: D1Database, librarian: Librarian, query: QuestionListQuery, timeZone: string): Promise<QuestionListResponse> {
  const where = joinClauses(filterClauses(librarian, query, timeZone));
  const lists = QUESTION_LISTS.map((list) => ({ list, clause: listClause(list, librarian.id) }));
  const countSql = lists.map(({ list, clause }) => `COALESCE(SUM(CASE WHEN ${clause.sql} THEN 1 ELSE 0 END), 0) AS "${list}"`).join(",\n  ");
  const countBinds = lists.flatMap(({ clause }) => clause.binds);

  const inList = listClause(query.list, librarian.id);
  const direction = query.order === "oldest" ? "ASC" : "DESC";
  const offset = (query.page - 1) * query.size;
  const [counted, page] = await db.batch<Record<string, number> | SummaryRow>([
    db.prepare(`SELECT ${countSql} FROM ${SUMMARY_FROM} WHERE ${where.sql}`).bind(...countBinds, ...where.binds),
    db
      .prepare(`SELECT ${SUMMARY_COLUMNS} FROM ${SUMMARY_FROM} WHERE ${where.sql} AND (${inList.sql}) ORDER BY q.created_at ${direction}, q.id ${direction} LIMIT ? OFFSET ?`)
      .bind(...where.binds, ...inList.binds, query.size, offset),
  ]);
  const countRow = (counted!.results[0] ?? {}) as Record<string, number>;
  const counts = Object.fromEntries(QUESTION_LISTS.map((l) => [l, Number(countRow[l] ?? 0)])) as Record<QuestionList, number>;
  const total = counts[query.list];
  return {
    list: query.list,
    order: query.order,
    page: query.page,
    size: query.size,
    total,
    pages: Math.max(1, Math.ceil(total / query.size)),
    counts,
    questions: (page!.results as SummaryRow[]).map(toSummary),
  };
}
