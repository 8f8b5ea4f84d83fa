/**
 * Cooperative: who answered whose patrons (the patron's library × the
 * answering library), each member's answers against its patrons' use (the
 * balance), and requests that rolled over and where they went. Counts only:
 * no chat of another library's patron is ever listed.
 */
import type { StatTable } from "../../shared/stats-api";
import { pairCells, type CellQuery, type PairCell } from "../cells";
import { col, namesOf, table } from "./common";

const NOBODY = "";

export async function cooperativeReport(cq: CellQuery): Promise<StatTable[]> {
  const pairs = await pairCells(cq);
  const homes = [...new Set(pairs.map((p) => p.libraryId))];
  const answerers = [...new Set(pairs.map((p) => p.answeringLibraryId).filter((a) => a !== NOBODY))];
  const names = await namesOf(cq.d1, [...homes, ...answerers], []);
  const byName = (a: string, b: string) => names.library(a).localeCompare(names.library(b)) || a.localeCompare(b);
  homes.sort(byName);
  answerers.sort(byName);
  const cell = (home: string, answering: string) => pairs.find((p) => p.libraryId === home && p.answeringLibraryId === answering);
  const sum = (ps: PairCell[], key: string) => ps.reduce((a, p) => a + (p.m[key] ?? 0), 0);

  const matrix = table(
    "matrix",
    "Who answered whose patrons",
    "Requests by the patron's library (rows) and the library whose librarian answered (columns).",
    [col("library", "Patron's library", "text"), ...answerers.map((a) => col(`by_${a}`, `Answered by ${names.library(a)}`)), col("not_answered", "Not answered"), col("requests", "Requests")],
    homes.map((h) => [names.library(h), ...answerers.map((a) => cell(h, a)?.m.answered ?? 0), cell(h, NOBODY)?.m.requests ?? 0, sum(pairs.filter((p) => p.libraryId === h), "requests")]),
    answerers.length ? { type: "heatmap", x: "library", series: answerers.map((a) => `by_${a}`), unit: "chats" } : null,
  );

  const members = [...new Set([...homes, ...answerers])].sort(byName);
  const balance = table(
    "balance",
    "Balance",
    "For each library: chats its librarians answered for other libraries' patrons, against its own patrons' chats other libraries answered.",
    [col("library", "Library", "text"), col("answered_own", "Answered its own patrons"), col("answered_for_others", "Answered for others"), col("answered_by_others", "Its patrons answered by others"), col("net", "Net (for others − by others)")],
    members.map((l) => {
      const own = sum(pairs.filter((p) => p.libraryId === l && p.answeringLibraryId === l), "answered");
      const forOthers = sum(pairs.filter((p) => p.answeringLibraryId === l && p.libraryId !== l), "answered");
      const byOthers = sum(pairs.filter((p) => p.libraryId === l && p.answeringLibraryId !== l && p.answeringLibraryId !== NOBODY), "answered");
      return [names.library(l), own, forOthers, byOthers, forOthers - byOthers];
    }),
    { type: "bars", x: "library", series: ["answered_for_others", "answered_by_others"], unit: "chats" },
  );

  const rollovers = table(
    "rollovers",
    "Roll-overs",
    "Requests offered beyond the patron's own library's queue (to a cooperative queue), and what became of them.",
    [col("library", "Patron's library", "text"), col("requests", "Requests"), col("rolled_over", "Rolled over"), col("answered_home", "Then answered by the patron's library"), col("answered_partner", "Then answered by a partner"), col("not_answered", "Then not answered")],
    homes.map((h) => {
      const mine = pairs.filter((p) => p.libraryId === h);
      return [names.library(h), sum(mine, "requests"), sum(mine, "rolled_over"), cell(h, h)?.m.rolled_over ?? 0, sum(mine.filter((p) => p.answeringLibraryId !== h && p.answeringLibraryId !== NOBODY), "rolled_over"), cell(h, NOBODY)?.m.rolled_over ?? 0];
    }),
    { type: "bars", x: "library", series: ["answered_home", "answered_partner", "not_answered"], unit: "requests" },
  );

  const destinations = table(
    "rollover-destinations",
    "Where roll-overs went",
    "Rolled-over requests by the patron's library and the library that answered them.",
    [col("library", "Patron's library", "text"), col("answered_by", "Answered by", "text"), col("rolled_over", "Rolled-over requests")],
    pairs
      .filter((p) => (p.m.rolled_over ?? 0) > 0)
      .sort((a, b) => byName(a.libraryId, b.libraryId) || (b.m.rolled_over ?? 0) - (a.m.rolled_over ?? 0))
      .map((p) => [names.library(p.libraryId), p.answeringLibraryId === NOBODY ? "Nobody" : names.library(p.answeringLibraryId), p.m.rolled_over ?? 0]),
    null,
  );
  return [matrix, balance, rollovers, destinations];
}
