/**
 * Reading coverage: monitoring per hour, per day and per person, from the
 * presence rollups of the scope — a library's librarians (in its zone), one
 * librarian (their library's), or a cooperative's (its rollup, in its zone) —
 * and the patrons lost in hours nobody of the scope monitored.
 */
import { sql, type SQL } from "drizzle-orm";
import { all, edgeDays, factConditions, fromRollups, localDay, localHour, num, rollupConditions, wholeMonths, type CellQuery } from "./cells";

export interface PresenceHourCell {
  day: number;
  hour: number;
  ms: number;
}
export interface PresencePersonCell {
  librarianId: string;
  libraryId: string;
  ms: number;
}

/**
 * Whose monitoring counts, and where it is read: a library's librarians (in
 * its zone), one librarian (their library's), or a whole cooperative (its
 * rollup, in its zone). A queue chosen counts time on that queue.
 */
function presenceSource(cq: CellQuery): { table: "library" | "group"; where: SQL; column: string } {
  const { scope, q, window: w } = cq;
  const days = sql`local_day between ${w.fromDay} and ${w.toDay}`;
  const librarian = scope.kind === "me" ? scope.viewer.id : (q.librarian ?? null);
  // A library's figures count only its own librarians' monitoring.
  const library = scope.kind === "library" ? scope.id : (scope.library?.id ?? (!librarian && q.queue?.startsWith("lib:") ? q.queue.slice(4) : null));
  if (librarian || library) {
    const parts = [days, ...(librarian ? [sql`librarian_id = ${librarian}`] : []), ...(library ? [sql`library_id = ${library}`] : []), ...(q.queue ? [sql`queue_id = ${q.queue}`] : [])];
    return { table: "library", where: sql.join(parts, sql` and `), column: q.queue ? "queue_ms" : "person_ms" };
  }
  return { table: "group", where: sql`group_id = ${scope.id} and ${days}`, column: q.queue ? "group_queue_ms" : "person_ms" };
}

/** Monitoring per day, per hour, or per weekday and hour (`day` the weekday then; −1 where not grouped by). */
export async function presenceHourCells(cq: CellQuery, grouping: "day" | "hour" | "weekday-hour"): Promise<PresenceHourCell[]> {
  const s = presenceSource(cq);
  const table = sql.raw(presenceTable(s));
  const select = sql.raw({ day: "local_day as day, -1 as hour", hour: "-1 as day, local_hour as hour", "weekday-hour": "(local_day + 3) % 7 + 1 as day, local_hour as hour" }[grouping]);
  const groupBy = sql.raw({ day: "1", hour: "2", "weekday-hour": "1, 2" }[grouping]);
  const rows = await all(cq, sql`select ${select}, sum(${sql.raw(s.column)}) as ms from ${table} where ${s.where} group by ${groupBy}`);
  return rows.map((r) => ({ day: num(r.day), hour: num(r.hour), ms: num(r.ms) })).filter((c) => c.ms > 0);
}

const presenceTable = (s: ReturnType<typeof presenceSource>) => (s.table === "library" ? "stat_presence_hours" : "stat_group_presence_hours");

/**
 * Patrons lost (turned away or abandoned) in calendar hours nobody of the
 * scope monitored at any moment, per weekday and hour: counted in one query,
 * each hour's requests checked against that hour's monitoring.
 */
export async function lostWhileUnmonitored(cq: CellQuery): Promise<{ weekday: number; hour: number; lost: number }[]> {
  const s = presenceSource(cq);
  const monitored = (day: SQL, hour: SQL) =>
    sql`exists (select 1 from ${sql.raw(presenceTable(s))} where ${s.where} and local_day = ${day} and local_hour = ${hour} and ${sql.raw(s.column)} > 0)`;
  const rows = fromRollups(cq)
    ? await all(
        cq,
        sql`select (h.local_day + 3) % 7 + 1 as weekday, h.local_hour as hour, sum(h.turned_away + h.abandoned) as lost from stat_group_hours h
             where ${rollupConditions(cq)} and h.turned_away + h.abandoned > 0 and not ${monitored(sql.raw("h.local_day"), sql.raw("h.local_hour"))} group by 1, 2`,
      )
    : await all(
        cq,
        sql`with cells as (select ${localDay(cq.window)} as day, ${localHour(cq.window)} as hour, sum(outcome <> 'answered') as lost from stat_chats where ${factConditions(cq)} and outcome <> 'answered' group by 1, 2)
            select (c.day + 3) % 7 + 1 as weekday, c.hour as hour, sum(c.lost) as lost from cells c where not ${monitored(sql.raw("c.day"), sql.raw("c.hour"))} group by 1, 2`,
      );
  return rows.map((r) => ({ weekday: num(r.weekday), hour: num(r.hour), lost: num(r.lost) }));
}

export async function presencePeopleCells(cq: CellQuery): Promise<PresencePersonCell[]> {
  const s = presenceSource(cq);
  const rows =
    s.table === "library"
      ? await all(cq, sql`select librarian_id, library_id, sum(${sql.raw(s.column)}) as ms from stat_presence_hours where ${s.where} group by librarian_id, library_id`)
      : await all(cq, groupPeopleQuery(cq));
  return rows.map((r) => ({ librarianId: String(r.librarian_id), libraryId: String(r.library_id), ms: num(r.ms) })).filter((c) => c.ms > 0);
}

/**
 * Each person's monitoring in a cooperative's range: the whole months inside
 * it from month rows, the days of the partial months at its ends from day rows
 * (a year is a dozen rows per person and queue instead of hundreds). Each
 * range is its own select, so each reads only its rows through the key.
 */
function groupPeopleQuery(cq: CellQuery): SQL {
  const w = cq.window;
  const column = sql.raw(cq.q.queue ? "queue_ms" : "person_ms");
  const onQueue = cq.q.queue ? sql` and queue_id = ${cq.q.queue}` : sql``;
  const rowsOf = (table: string, key: string, [from, to]: readonly [number, number]) =>
    sql`select librarian_id, library_id, ${column} as ms from ${sql.raw(table)} where group_id = ${cq.scope.id} and ${sql.raw(key)} between ${from} and ${to}${onQueue}`;
  const months = wholeMonths(w);
  const parts = months
    ? [rowsOf("stat_group_presence_months", "local_month", [months.first, months.last]), ...edgeDays(w, months).map((days) => rowsOf("stat_group_presence_people", "local_day", days))]
    : [rowsOf("stat_group_presence_people", "local_day", [w.fromDay, w.toDay])];
  return sql`select librarian_id, library_id, sum(ms) as ms from (${sql.join(parts, sql` union all `)}) group by librarian_id, library_id`;
}
