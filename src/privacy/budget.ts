/**
 * The privacy scrub's budget. One run is one Worker invocation, and every D1
 * query and every Durable Object call it makes counts against the Worker's
 * subrequest limit (and D1's queries-per-invocation limit, 1,000 on the paid
 * plan). So a run spends at most SCRUB_CALLS_PER_RUN calls, shared fairly:
 * every library with work gets an equal share and a library that needs less
 * leaves the rest to the others (src/privacy/scrub.ts rotates which library
 * goes first from run to run), so none waits behind the others' backlog.
 */

/** Calls (D1 queries and batches, Durable Object calls) one run may make; under D1's 1,000, with room for the run's own records. */
export const SCRUB_CALLS_PER_RUN = 900;

/** D1 calls a library's turn costs besides its objects, with one batch of each kind: look-ups, writes, the turn's record. */
export const CALLS_PER_LIBRARY_TURN = 9;

/** Counts the calls a run makes and says whether more fit. */
export class CallBudget {
  private spent = 0;

  constructor(readonly limit: number) {}

  get remaining(): number {
    return Math.max(0, this.limit - this.spent);
  }

  /** Records `calls` about to be made; false (and nothing recorded) when they would not fit. */
  spend(calls: number): boolean {
    if (calls > this.remaining) return false;
    this.spent += calls;
    return true;
  }
}

/**
 * Shares `budget` units among demands by water-filling: each round every
 * unsatisfied demand gets an equal share (at least one unit), a demand that
 * needs less than its share returns the rest to the pool, until the budget or
 * the demands run out; when there is not a unit for each, those listed first
 * get one. Returns the allocation per index, summing to at most `budget`, each
 * at most its demand.
 */
export function shareFairly(demands: readonly number[], budget: number): number[] {
  const given = demands.map(() => 0);
  let left = Math.max(0, Math.floor(budget));
  for (;;) {
    const open = given.flatMap((g, i) => (g < demands[i]! ? [i] : []));
    if (open.length === 0 || left === 0) return given;
    const share = Math.max(1, Math.floor(left / open.length));
    for (const i of open) {
      const give = Math.min(share, demands[i]! - given[i]!, left);
      given[i] = given[i]! + give;
      left -= give;
      if (left === 0) break;
    }
  }
}
