/**
 * The module's lists and search: which questions a librarian sees (tenancy),
 * which list each falls in, the search filters, the counts per list and one
 * page of results. Hidden (spam) questions are left out unless asked for.
 */
import { and, asc, desc, eq, gte, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { Librarian } from "../auth/librarian";
import { database } from "../db/client";
import { chatSessions, descriptiveCodes, librarians, questions } from "../db/schema";
import { visibleQuestions } from "../db/tenancy";
import { OPEN_STATUSES, QUESTION_LISTS, type QuestionList } from "../shared/question-rules";
import type { QuestionFilters, QuestionListQuery, QuestionListResponse } from "../shared/questions-api";
import { endOfDay, startOfDay } from "./dates";
import { joinSummary, summaryFields, toSummary } from "./records";
import { contains, hasDescriptiveCode, transcriptContains } from "./sql-conditions";

/** Which questions each list holds (the definitions are in src/shared/question-rules.ts). */
export function listCondition(list: QuestionList, librarianId: string): SQL {
  switch (list) {
    case "new":
      return and(eq(questions.status, "new"), isNull(questions.assignedTo))!;
    case "mine":
      return and(eq(questions.assignedTo, librarianId), inArray(questions.status, [...OPEN_STATUSES]))!;
    case "pending":
    case "answered":
    case "closed":
      return eq(questions.status, list);
    case "all":
      return sql`1 = 1`;
  }
}

/**
 * The search filters (everything but the list), already scoped to what the
 * librarian may see.
 */
function filterConditions(librarian: Librarian, query: QuestionListQuery, timeZone: string): SQL[] {
  const conditions: SQL[] = [visibleQuestions(librarian)];
  if (query.hidden === "exclude") conditions.push(eq(questions.hidden, false));
  if (query.hidden === "only") conditions.push(eq(questions.hidden, true));
  if (query.q) conditions.push(or(contains(questions.question, query.q), contains(questions.patronName, query.q), transcriptContains(query.q))!);
  if (query.email) conditions.push(contains(questions.patronEmail, query.email));
  if (query.from) conditions.push(gte(questions.createdAt, startOfDay(query.from, timeZone)));
  if (query.to) conditions.push(lt(questions.createdAt, endOfDay(query.to, timeZone)));
  if (query.code) conditions.push(hasDescriptiveCode(query.code));
  if (query.resolution) conditions.push(eq(chatSessions.resolutionCode, query.resolution));
  if (query.librarian) conditions.push(or(eq(questions.assignedTo, query.librarian), eq(chatSessions.librarianId, query.librarian))!);
  return conditions;
}

/** One page of a list, with the count of every list under the same search. */
export async function searchQuestions(d1: D1Database, librarian: Librarian, query: QuestionListQuery, timeZone: string): Promise<QuestionListResponse> {
  const db = database(d1);
  const where = and(...filterConditions(librarian, query, timeZone));
  // One count per list, each under its own column name.
  const countFields = Object.fromEntries(
    QUESTION_LISTS.map((list) => [list, sql<number>`coalesce(sum(case when ${listCondition(list, librarian.id)} then 1 else 0 end), 0)`.as(list)]),
  );
  const order = query.order === "oldest" ? asc : desc;
  const [counted, page] = await db.batch([
    joinSummary(db.select(countFields).from(questions).$dynamic()).where(where),
    joinSummary(db.select(summaryFields(db)).from(questions).$dynamic())
      .where(and(where, listCondition(query.list, librarian.id)))
      .orderBy(order(questions.createdAt), order(questions.id))
      .limit(query.size)
      .offset((query.page - 1) * query.size),
  ]);
  const countRow = counted[0] ?? {};
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
    questions: page.map(toSummary),
  };
}

/** What the search form offers: the library's librarians and all its codes (hidden ones too, for old questions). */
export async function questionFilters(d1: D1Database, libraryId: string): Promise<QuestionFilters> {
  const db = database(d1);
  const [people, codes] = await db.batch([
    db.select({ id: librarians.id, name: librarians.displayName }).from(librarians).where(eq(librarians.libraryId, libraryId)).orderBy(asc(librarians.displayName)),
    db
      .select({ code: descriptiveCodes.code, label: descriptiveCodes.label, active: descriptiveCodes.active })
      .from(descriptiveCodes)
      .where(eq(descriptiveCodes.libraryId, libraryId))
      .orderBy(asc(descriptiveCodes.position), asc(descriptiveCodes.id)),
  ]);
  return { librarians: people, codes };
}
