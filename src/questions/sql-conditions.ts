/**
 * Conditions on questions that drizzle's builder cannot express, written as
 * SQL fragments: SQLite's JSON functions (json_each, json_extract) over the
 * transcript, the descriptive codes and the history, and LIKE with an escape
 * character. JSON columns are read only when valid, so one damaged row
 * cannot break every search.
 */
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { chatSessions, questionEvents } from "../db/schema";

/** LIKE pattern for "contains", with the wildcards in the user's text taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The column contains `text` (case-insensitive for ASCII, as LIKE is). */
export function contains(column: SQLWrapper, text: string): SQL {
  return sql`${column} like ${containsPattern(text)} escape '\\'`;
}

/** A message of the session's transcript contains `text`. */
export function transcriptContains(text: string): SQL {
  return sql`exists (select 1 from json_each(case when json_valid(${chatSessions.transcript}) then ${chatSessions.transcript} end) m
    where json_extract(m.value, '$.body') like ${containsPattern(text)} escape '\\')`;
}

/** The session carries descriptive code `code`. */
export function hasDescriptiveCode(code: string): SQL {
  return sql`exists (select 1 from json_each(case when json_valid(${chatSessions.descriptiveCodes}) then ${chatSessions.descriptiveCodes} end) d where d.value = ${code})`;
}

/** The history row records the answer sent with `requestId`. */
export function answersRequest(requestId: string): SQL {
  return sql`json_extract(${questionEvents.detail}, '$.requestId') = ${requestId}`;
}
