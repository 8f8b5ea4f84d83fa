/**
 * The full-text index of policy pages (`policy_search`, one row per section,
 * plain text) and the query that searches it. Raw SQL: it is an FTS5 virtual
 * table — MATCH, rank and snippet() have no drizzle builder, and the table is
 * not in the drizzle schema.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../db/client";
import { libraries } from "../db/schema";
import { isPartnerOf } from "../db/tenancy";
import type { SearchRow } from "./plain-text";

/** Private-use characters around each match in a snippet: never in librarians' text, and passed through D1 untouched (control characters are not). */
export const HIT_OPEN = "\uE000";
export const HIT_CLOSE = "\uE001";

/** The statements that replace a library's rows in the index; run them in the batch that saves its page. */
export function reindexStatements(db: Database, libraryId: string, rows: SearchRow[]) {
  return [
    db.run(sql`delete from policy_search where library_id = ${libraryId}`),
    ...rows.map((r) => db.run(sql`insert into policy_search (library_id, section, title, body) values (${libraryId}, ${r.section}, ${r.title}, ${r.body})`)),
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
 * The best 50 rows matching the FTS5 expression `match`, of the partners of
 * `partnersOf` (itself included), or of every library when it is null.
 */
export async function searchIndex(db: Database, match: string, partnersOf: string | null): Promise<IndexHit[]> {
  const scope: SQL = partnersOf === null ? sql`` : sql` and ${isPartnerOf(sql`s.library_id`, partnersOf)}`;
  return db.all<IndexHit>(
    sql`select s.library_id as "libraryId", ${libraries.name} as "libraryName", s.section, s.title,
          snippet(policy_search, -1, ${sql.raw(`'${HIT_OPEN}'`)}, ${sql.raw(`'${HIT_CLOSE}'`)}, '…', 16) as snippet
        from policy_search s join ${libraries} on ${libraries.id} = s.library_id
        where policy_search match ${match}${scope} order by rank limit 50`,
  );
}
