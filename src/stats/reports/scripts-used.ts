/**
 * Scripts used: how often librarians put each script into a chat. A script
 * keeps one running count (canned_messages.use_count, added to each time it is
 * inserted) and when it was last used — not a row per use — so these figures
 * are since the script was made, whatever the range and the chat filters.
 *
 * Whose scripts a scope shows: a librarian's own figures, their personal
 * scripts; a library's, the library's scripts; a cooperative's, its own
 * scripts and its members' library scripts (one member's alone when a member
 * is chosen). Never another librarian's personal scripts: a count there is one
 * person's habit, not the desk's.
 */
import { and, asc, desc, eq, inArray, or, type SQL } from "drizzle-orm";
import { database } from "../../db/client";
import { cannedMessages } from "../../db/schema";
import type { StatTable } from "../../shared/stats-api";
import type { CellQuery } from "../cells";
import { dateOf, localCell } from "../local-time";
import { col, table } from "./common";

/** The scripts a scope's figures cover. */
function scriptsOf(cq: CellQuery): SQL {
  const { scope } = cq;
  const libraryScripts = (ids: string[]) => and(eq(cannedMessages.scope, "library"), inArray(cannedMessages.libraryId, ids))!;
  if (scope.kind === "me") return and(eq(cannedMessages.scope, "personal"), eq(cannedMessages.ownerId, scope.viewer.id))!;
  if (scope.kind === "library") return libraryScripts([scope.id]);
  if (scope.library) return libraryScripts([scope.library.id]);
  return or(and(eq(cannedMessages.scope, "group"), eq(cannedMessages.groupId, scope.id)), libraryScripts(scope.libraries.map((l) => l.id)))!;
}

export async function scriptsUsedTable(cq: CellQuery): Promise<StatTable> {
  const { scope, window: w } = cq;
  const rows = await database(cq.d1)
    .select({ title: cannedMessages.title, category: cannedMessages.category, scope: cannedMessages.scope, libraryId: cannedMessages.libraryId, uses: cannedMessages.useCount, lastUsedAt: cannedMessages.lastUsedAt })
    .from(cannedMessages)
    .where(scriptsOf(cq))
    .orderBy(desc(cannedMessages.useCount), asc(cannedMessages.title), asc(cannedMessages.id))
    .all();
  const libraryName = new Map(scope.libraries.map((l) => [l.id, l.name]));
  const keptBy = (r: (typeof rows)[number]) => (r.scope === "group" ? `${scope.name} (cooperative)` : r.scope === "personal" ? "Personal" : (libraryName.get(r.libraryId ?? "") ?? r.libraryId ?? ""));
  return table(
    "scripts",
    "Scripts used",
    "How often librarians put each script into a chat, since the script was made (a script keeps one running count, so the range and the chat filters do not narrow it). Scripts never used count 0.",
    [col("script", "Script", "text"), col("kept_by", "Kept by", "text"), col("category", "Category", "text"), col("uses", "Uses"), col("last_used", `Last used (${w.zone})`, "period")],
    rows.map((r) => [r.title, keptBy(r), r.category, r.uses, r.lastUsedAt === null ? null : dateOf(localCell(w.zone, r.lastUsedAt).day)]),
    { type: "bars", x: "script", series: ["uses"], unit: "uses" },
  );
}
