/**
 * Every figure statistics show, defined once (docs/statistics.md says the same
 * in words): what a chat's outcome is, when waiting starts and ends, how long a
 * chat lasts, the bins waits and lengths are counted in, and how a percentile
 * is read from them. Pure: no runtime, no storage.
 */

/** How a request ended up, exactly one of three. */
export const OUTCOMES = ["answered", "turned_away", "abandoned"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * - answered: a librarian accepted it (whatever happened afterwards);
 * - turned away: nobody accepted it and the patron was shown the library's
 *   alternatives — nobody was monitoring a queue that could take it when it
 *   came, or nobody came within the wait limit;
 * - abandoned: nobody accepted it and the patron stopped waiting before being
 *   turned away (left, closed the page, left the question by e-mail).
 */
export function outcomeOf(acceptedAt: number | null, turnedAway: boolean): Outcome {
  if (acceptedAt !== null) return "answered";
  return turnedAway ? "turned_away" : "abandoned";
}

/** Waiting starts when the patron sends the request and ends when a librarian accepts it. Answered chats only. */
export function waitMs(createdAt: number, acceptedAt: number | null): number | null {
  return acceptedAt === null ? null : Math.max(0, acceptedAt - createdAt);
}

/** A chat lasts from its acceptance to its end. Answered chats only. */
export function durationMs(acceptedAt: number | null, endedAt: number): number | null {
  return acceptedAt === null ? null : Math.max(0, endedAt - acceptedAt);
}

/**
 * Waits are counted in bins (seconds, each the bin's upper edge, inclusive);
 * the last bin is open. The edges at 30, 60 and 120 s make "answered within"
 * exact; percentiles are read to a bin's edge.
 */
export const WAIT_EDGES_S = [10, 20, 30, 45, 60, 90, 120, 180, 300, 600] as const;
/** Chat lengths, the same way (seconds). */
export const DURATION_EDGES_S = [60, 120, 180, 240, 300, 420, 600, 900, 1200, 1800, 2700, 3600] as const;

export const WAIT_BINS = WAIT_EDGES_S.length + 1;
export const DURATION_BINS = DURATION_EDGES_S.length + 1;

/** The bin a time falls in: the first whose edge it does not pass. */
export function binOf(ms: number, edgesS: readonly number[]): number {
  const i = edgesS.findIndex((edge) => ms <= edge * 1000);
  return i < 0 ? edgesS.length : i;
}

/** "Answered within" thresholds, seconds (each one an edge of WAIT_EDGES_S). */
export const ANSWERED_WITHIN_S = [30, 60, 120] as const;

/** A wait longer than this (seconds) is a long wait: a failure in planning. */
export const LONG_WAIT_S = 120;

/** How many of the counted waits were at most `seconds` (an edge of WAIT_EDGES_S). */
export function countWithin(bins: readonly number[], seconds: number): number {
  const edge = WAIT_EDGES_S.indexOf(seconds as (typeof WAIT_EDGES_S)[number]);
  if (edge < 0) throw new Error(`${seconds} s is not a wait bin edge`);
  return bins.slice(0, edge + 1).reduce((a, b) => a + b, 0);
}

/**
 * The p-th percentile (0 < p ≤ 100) of values counted in `bins`, by nearest
 * rank: the rank ⌈p/100 · n⌉ value's bin, read as the bin's upper edge in
 * seconds — "p % waited at most this long". In the open last bin it is the
 * longest value (`maxMs`). Null when nothing was counted.
 */
export function percentileS(bins: readonly number[], edgesS: readonly number[], p: number, maxMs: number): number | null {
  const n = bins.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  let seen = 0;
  for (let i = 0; i < bins.length; i++) {
    seen += bins[i]!;
    if (seen >= rank) return i < edgesS.length ? Math.min(edgesS[i]!, Math.ceil(maxMs / 1000)) : Math.ceil(maxMs / 1000);
  }
  return Math.ceil(maxMs / 1000);
}

/** A mean in whole seconds (rounded), or null of nothing. */
export function meanS(sumMs: number, n: number): number | null {
  return n > 0 ? Math.round(sumMs / n / 1000) : null;
}

/** A share as a percentage with one decimal, or null of nothing. */
export function sharePercent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}

/** The patron's rating scale (src/shared/limits.ts RATING): counts per score 1…5. */
export const RATING_SCORES = [1, 2, 3, 4, 5] as const;

/** The mean rating with two decimals, or null when nobody rated. */
export function meanRating(counts: readonly number[]): number | null {
  const n = counts.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const sum = counts.reduce((a, c, i) => a + c * RATING_SCORES[i]!, 0);
  return Math.round((sum / n) * 100) / 100;
}

/**
 * Planning: how many chats one librarian serves at once, for the staffing a
 * demand needs (average concurrent chats ÷ this, rounded up; at least one
 * librarian wherever anybody asks).
 */
export const CHATS_PER_LIBRARIAN = 2;

/** The librarians an hour's demand needs: requests per hour × mean length in hours ÷ CHATS_PER_LIBRARIAN, rounded up. */
export function staffingNeeded(requestsPerHour: number, meanDurationMs: number | null): number {
  if (requestsPerHour <= 0) return 0;
  const concurrent = (requestsPerHour * (meanDurationMs ?? 0)) / 3_600_000;
  return Math.max(1, Math.ceil(concurrent / CHATS_PER_LIBRARIAN));
}

/** The range shown when none is chosen: this many days, ending today. */
export const DEFAULT_RANGE_DAYS = 30;
