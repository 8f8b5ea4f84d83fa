/**
 * A filed chat as statistics keep it: times, codes, libraries, queues, the
 * librarian's id, the patron's site, the rating — never a name, an address or
 * a text. Built from what filing writes (EndedSession), so every chat is
 * counted exactly as it was filed.
 */
import type { EndedSession, SessionFacts } from "../questions/ended-session";
import { ROUTING } from "../questions/routing";
import type { FiledResolution } from "../shared/codes";
import { binOf, DURATION_EDGES_S, durationMs, outcomeOf, WAIT_EDGES_S, waitMs, type Outcome } from "./definitions";

export interface StatFact {
  sessionId: string;
  libraryId: string;
  answeringLibraryId: string | null;
  librarianId: string | null;
  formId: string | null;
  homeQueueId: string;
  acceptedQueueId: string | null;
  /** Every queue the request was shown in, in order. */
  queueIds: string[];
  queueCount: number;
  patronOrigin: string | null;
  source: "chat" | "email";
  outcome: Outcome;
  resolution: FiledResolution;
  codes: string[];
  endedAutomatically: boolean;
  leftOut: boolean;
  createdAt: number;
  acceptedAt: number | null;
  endedAt: number;
  waitMs: number | null;
  durationMs: number | null;
  waitBin: number | null;
  durationBin: number | null;
  patronMessages: number;
  librarianMessages: number;
  rating: number | null;
  /** The groups whose figures count this chat (its patron's and its answering library's, when it was filed). */
  groupIds: string[];
}

/** What a chat filed without facts (by an object older than them) is taken to have been. */
function factsOrGuess(s: EndedSession): SessionFacts {
  if (s.facts) return s.facts;
  const queue = `lib:${s.libraryId}`;
  return {
    formId: null,
    homeQueueId: queue,
    queueIds: [queue],
    acceptedQueueId: s.acceptedAt !== null ? queue : null,
    patronOrigin: null,
    turnedAway: false,
    endedAutomatically: s.resolution === "auto_ended",
    patronMessages: s.messages.filter((m) => m.author.role === "patron").length,
    librarianMessages: s.messages.filter((m) => m.author.role === "librarian").length,
  };
}

/** The fact of an ended session. */
export function factOf(s: EndedSession, rating: number | null, groupIds: string[]): StatFact {
  const facts = factsOrGuess(s);
  const wait = waitMs(s.createdAt, s.acceptedAt);
  const duration = durationMs(s.acceptedAt, s.endedAt);
  const queues = facts.queueIds.length > 0 ? facts.queueIds : [facts.homeQueueId];
  return {
    sessionId: s.sessionId,
    libraryId: s.libraryId,
    answeringLibraryId: s.acceptedAt !== null ? (s.librarian?.libraryId ?? null) : null,
    librarianId: s.acceptedAt !== null ? (s.librarian?.id ?? null) : null,
    formId: facts.formId,
    homeQueueId: facts.homeQueueId || queues[0]!,
    acceptedQueueId: facts.acceptedQueueId,
    queueIds: queues,
    queueCount: queues.length,
    patronOrigin: facts.patronOrigin,
    source: s.source,
    outcome: outcomeOf(s.acceptedAt, facts.turnedAway),
    resolution: s.resolution,
    codes: [...new Set(s.descriptiveCodes)],
    endedAutomatically: s.resolution === "auto_ended" || facts.endedAutomatically,
    leftOut: ROUTING[s.resolution].excludeFromStats,
    createdAt: s.createdAt,
    acceptedAt: s.acceptedAt,
    endedAt: s.endedAt,
    waitMs: wait,
    durationMs: duration,
    waitBin: wait === null ? null : binOf(wait, WAIT_EDGES_S),
    durationBin: duration === null ? null : binOf(duration, DURATION_EDGES_S),
    patronMessages: facts.patronMessages,
    librarianMessages: facts.librarianMessages,
    rating,
    groupIds: [...new Set(groupIds)].sort(),
  };
}

/** The same fact after its resolution, codes or rating changed. */
export function restated(f: StatFact, change: { resolution: FiledResolution; codes: string[]; rating: number | null }): StatFact {
  return {
    ...f,
    resolution: change.resolution,
    codes: [...new Set(change.codes)],
    endedAutomatically: f.endedAutomatically,
    leftOut: ROUTING[change.resolution].excludeFromStats,
    rating: change.rating,
  };
}

/** A list of ids as stored: ",a,b," (so one is found with instr(column, ',a,')). */
export const storedIds = (ids: readonly string[]) => (ids.length ? `,${ids.join(",")},` : "");
export const parseIds = (stored: string) => stored.split(",").filter(Boolean);
