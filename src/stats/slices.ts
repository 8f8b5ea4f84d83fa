/**
 * Slices: the cooperative rollups are kept whole ("") and once more for each
 * value of each filter that cuts across the cooperative — resolution, source,
 * answered at home or by a partner, the cooperative's own queue, each
 * descriptive code, each rating — so the whole cooperative filtered by one of
 * them still answers from a few thousand rows. A chat counts in the whole and
 * in the slice of each of its values. Filters that narrow to a library, a
 * librarian or a site, and two slice filters at once, are counted from the
 * facts instead.
 */
import { groupQueueId } from "../queues/queue-ids";
import type { StatsQuery } from "../shared/stats-api";
import type { StatFact } from "./fact";

/** The slices a chat counts in, for one of its groups. */
export function slicesOf(f: StatFact, groupId: string): string[] {
  const out = ["", `resolution:${f.resolution}`, `source:${f.patronOrigin ? "qwidget" : "hosted"}`];
  if (f.outcome === "answered" && f.answeringLibraryId) out.push(`answered:${f.answeringLibraryId === f.libraryId ? "home" : "partner"}`);
  if (f.queueIds.includes(groupQueueId(groupId))) out.push(`queue:${groupQueueId(groupId)}`);
  for (const code of f.codes) out.push(`code:${code}`);
  if (f.rating !== null) out.push(`rating:${f.rating}`, "rating:rated");
  else if (f.outcome === "answered") out.push("rating:unrated");
  return out;
}

/** The slice a cooperative-wide query reads, or null when the facts must be counted instead. */
export function sliceFor(q: StatsQuery, groupId: string): string | null {
  if (q.library || q.librarian || q.site) return null;
  if (q.queue && q.queue !== groupQueueId(groupId)) return null;
  const chosen = [
    q.resolution && `resolution:${q.resolution}`,
    q.source && `source:${q.source}`,
    q.answered && `answered:${q.answered}`,
    q.queue && `queue:${q.queue}`,
    q.code && `code:${q.code}`,
    q.rating && `rating:${q.rating}`,
  ].filter((s): s is string => !!s);
  if (chosen.length > 1) return null;
  return chosen[0] ?? "";
}
