/**
 * The full-text index of policy pages (`policy_search`, one row per section,
 * plain text) and the query that searches it. It is an FTS5 virtual table:
 * drizzle-kit cannot create one, so it is declared here rather than in the
 * schema, and MATCH, rank and snippet() — which drizzle has no builder for —
 * are written as SQL.
 */
import { and, eq, sql } from "drizzle-orm";
import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Database } from "../db/client";
import { libraries } from "../db/schema";
import { isPartnerOf } from "../db/tenancy";
import type { SearchRow } from "./plain-text";

/** migrations/0005_cooperation.sql: fts5(library_id UNINDEXED, section UNINDEXED, title, body). */
const policySearch = sqliteTable("policy_search", {
  libraryId: text("library_id").notNull(),
  section: text("section").notNull(),
  title: text("title").notNull(),
  body: text("body").notNull(),
});

/** Private-use characters around each match in a snippet: never in librarians' text, and passed through D1 untouched (control characters are not). */
export const HIT_OPEN = "\uE000";
export const HIT_CLOSE = "\uE001";

/** The statements that replace a library's rows in the index; run them in the batch that saves its page. */
export function reindexStatements(db: Database, libraryId: string, rows: SearchRow[]) {
  return [
    db.delete(policySearch).where(eq(policySearch.libraryId, libraryId)),
    ...rows.map((r) => db.insert(policySearch).values({ libraryId, section: r.section, title: r.title, body: r.body })),
  ];
}

export interface IndexHit {
  libraryId: string;
  libraryName: string;
  section: string;
  title: string;
  /** Plain text, each match between HIT_OPEN and HIT_CLOSE. */
  snippet: string;
}

/**
 * The best 50 rows matching the FTS5 expression `match`, of the libraries
 * sharing a group with `partnersOf` (itself included), or of every library
 * when it is null.
 */
export function searchIndex(db: Database, match: string, partnersOf: string | null): Promise<IndexHit[]> {
  return db
    .select({
      libraryId: policySearch.libraryId,
      libraryName: libraries.name,
      section: policySearch.section,
      title: policySearch.title,
      snippet: sql<string>`snippet(${policySearch}, -1, ${sql.raw(`'${HIT_OPEN}'`)}, ${sql.raw(`'${HIT_CLOSE}'`)}, '…', 16)`,
    })
    .from(policySearch)
    .innerJoin(libraries, eq(libraries.id, policySearch.libraryId))
    .where(and(sql`${policySearch} match ${match}`, partnersOf === null ? undefined : isPartnerOf(policySearch.libraryId, partnersOf)))
    .orderBy(sql`rank`)
    .limit(50)
    .all();
}
