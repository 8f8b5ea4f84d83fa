/**
 * Finding a colleague to hand a chat to or to consult: they must be
 * monitoring (and not away on) one of the queues this librarian staffs, since
 * the offer reaches them through that queue.
 */
import type { Librarian } from "../auth/librarian";
import { database } from "../db/client";
import type { LibrarianRef } from "../objects/contracts";
import { requestQueue } from "../objects/index";
import { staffableQueues } from "./staffing";

/** The colleague and the queue they are monitoring, or null when they are not monitoring any of this librarian's queues. */
export async function monitoringColleague(env: Env, librarian: Librarian, colleagueId: string): Promise<{ colleague: LibrarianRef; queueId: string } | null> {
  const queues = await staffableQueues(database(env.DB), librarian);
  const present = await Promise.all(queues.map(async (q) => ({ queue: q, monitors: (await requestQueue(env, q.id).snapshot()).monitors })));
  for (const { queue, monitors } of present) {
    const m = monitors.find((x) => x.librarianId === colleagueId && x.status !== "away");
    if (m) return { colleague: { id: m.librarianId, name: m.name, libraryId: m.libraryId }, queueId: queue.id };
  }
  return null;
}
