/**
 * Feedback: the patrons' ratings — how they are spread, their mean, by library
 * (the answering librarian's) and by librarian — and the answers to the
 * library's own survey questions (./survey.ts). Comments are shown only to
 * administrators of the patrons' own library, read from the chat itself so
 * they go with the chat's retention; they are never exported.
 */
import { sql } from "drizzle-orm";
import { database } from "../../db/client";
import type { StatComment, StatTable } from "../../shared/stats-api";
import { meanRating, RATING_SCORES, sharePercent } from "../definitions";
import { factConditions, hourCells, peopleCells, type CellQuery } from "../cells";
import { dateOf, localCell } from "../local-time";
import { addInto, PEOPLE_MEASURES, series, zeroMeasures, type Measures } from "../measures";
import { col, namesOf, table, total } from "./common";
import { surveyTables } from "./survey";

/** Comments shown at most. */
const COMMENTS = 50;

const ratingColumns = () => RATING_SCORES.map((s) => col(`r${s}`, `Rated ${s}`));

function ratingRow(m: Measures) {
  const counts = series(m, "r", 1, RATING_SCORES.length);
  return [counts.reduce((a, b) => a + b, 0), meanRating(counts), ...counts];
}

export async function feedbackReport(cq: CellQuery): Promise<StatTable[]> {
  const [cells, people, survey] = await Promise.all([hourCells(cq, "total", ["answered", "r1", "r2", "r3", "r4", "r5"]), peopleCells(cq), surveyTables(cq)]);
  const all = total(cells);
  const counts = series(all, "r", 1, RATING_SCORES.length);
  const rated = counts.reduce((a, b) => a + b, 0);
  const names = await namesOf(cq.d1, people.map((p) => p.libraryId), people.map((p) => p.librarianId));
  const distribution = table(
    "distribution",
    "Ratings",
    `How patrons rated their chats (${RATING_SCORES[0]} lowest, ${RATING_SCORES[RATING_SCORES.length - 1]} highest). Mean: ${meanRating(counts) ?? "no ratings"}; ${rated} of ${all.answered} answered chats rated.`,
    [col("rating", "Rating", "text"), col("chats", "Chats"), col("share", "Share of ratings (%)", "percent")],
    RATING_SCORES.map((s, i) => [String(s), counts[i]!, sharePercent(counts[i]!, rated)]),
    { type: "bars", x: "rating", series: ["chats"], unit: "chats" },
  );
  const byLibrary = new Map<string, Measures>();
  for (const p of people) byLibrary.set(p.libraryId, addInto(byLibrary.get(p.libraryId) ?? zeroMeasures(PEOPLE_MEASURES), p.m, PEOPLE_MEASURES));
  const libraryTable = table(
    "by-library",
    "By library",
    "Ratings of the chats each library's librarians answered.",
    [col("library", "Library", "text"), col("rated", "Rated"), col("mean", "Mean rating", "rating"), ...ratingColumns()],
    [...byLibrary].map(([id, m]) => [names.library(id), ...ratingRow(m)]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    { type: "bars", x: "library", series: ["mean"], unit: "rating" },
  );
  const librarianTable = table(
    "by-librarian",
    "By librarian",
    "Ratings of the chats each librarian answered.",
    [col("librarian", "Librarian", "text"), col("library", "Library", "text"), col("rated", "Rated"), col("mean", "Mean rating", "rating"), ...ratingColumns()],
    people.map((p) => [names.librarian(p.librarianId), names.library(p.libraryId), ...ratingRow(p.m)]).sort((a, b) => Number(b[2]) - Number(a[2]) || String(a[0]).localeCompare(String(b[0]))),
    { type: "bars", x: "librarian", series: ["mean"], unit: "rating" },
  );
  return [distribution, libraryTable, librarianTable, ...survey];
}

/**
 * The latest comments this viewer may read (null: none may be shown to them):
 * the chats with a comment, newest first, each checked against the chats
 * counted by its key (few chats carry comments; a library's year is thousands).
 */
export async function feedbackComments(cq: CellQuery): Promise<StatComment[] | null> {
  const whose = cq.scope.commentsOf;
  if (!whose) return null;
  const ofLibrary = whose === "all" ? sql`` : sql` and cs.library_id = ${whose}`;
  const rows = (await database(cq.d1).all(sql`
    select cs.created_at as created_at, cs.rating as rating, cs.rating_comment as comment, cs.librarian_id as librarian_id, cs.answering_library_id as answering_library_id
      from chat_sessions cs
     where cs.rating_comment is not null and cs.created_at >= ${cq.window.fromMs} and cs.created_at < ${cq.window.toMs}${ofLibrary}
       and exists (select 1 from stat_chats where session_id = cs.id and ${factConditions(cq)}${whose === "all" ? sql`` : sql` and library_id = ${whose}`})
     order by cs.created_at desc limit ${COMMENTS}`)) as { created_at: number; rating: number | null; comment: string; librarian_id: string | null; answering_library_id: string | null }[];
  const names = await namesOf(cq.d1, rows.map((r) => r.answering_library_id ?? ""), rows.map((r) => r.librarian_id ?? ""));
  return rows.map((r) => ({
    date: dateOf(localCell(cq.window.zone, r.created_at).day),
    rating: r.rating,
    librarian: r.librarian_id ? names.librarian(r.librarian_id) : null,
    library: r.answering_library_id ? names.library(r.answering_library_id) : null,
    comment: r.comment,
  }));
}
