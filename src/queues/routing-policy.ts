/**
 * The routing policy: where a patron's request is shown, and when it moves on.
 * One place for the rule (PRODUCT.md, "Cooperation"); the ChatSession object
 * carries it out with its alarm and the RequestQueue objects' staffing answers.
 * Pure: the database side is src/queues/plan-route.ts.
 *
 * - A request goes to the queue of the form it came from first (the patron's
 *   library queue), and stays there until it is answered or withdrawn, so the
 *   library's own librarians can always take it — also after roll-over.
 * - It also becomes visible in a cooperative (group) queue when the library has
 *   nobody monitoring (when the request arrives, or when the library's last
 *   monitor's grace period ends while it waits) or, unless the library chose
 *   `unstaffed_only`, when nobody accepted within the library's roll-over time.
 * - A library may belong to several groups, in order (group_members.position):
 *   the request rolls over to the first group whose queue is staffed, and on to
 *   the next not-yet-offered staffed group after each further roll-over period.
 *   A group that was unstaffed when skipped stays a candidate for later rounds.
 * - A group may prefer the library whose shift it is (its coverage schedule):
 *   the request is then offered to that library's own queue first, and to the
 *   whole group's queue at the next roll-over (or at once, when nobody is
 *   monitoring the scheduled library's queue).
 * - With nobody monitoring anywhere when the request arrives, the patron gets
 *   the not-available path.
 */

/** When a library's requests overflow to its groups. */
export const OVERFLOW_MODES = ["unstaffed_or_timeout", "unstaffed_only", "off"] as const;
export type OverflowMode = (typeof OVERFLOW_MODES)[number];

export const OVERFLOW_MODE_LABELS: Record<OverflowMode, string> = {
  unstaffed_or_timeout: "When nobody from our library is monitoring, or nobody accepts within the roll-over time",
  unstaffed_only: "Only when nobody from our library is monitoring",
  off: "Never: our patrons are served by our own librarians only",
};

/** The roll-over time a library may choose, in seconds. */
export const ROLLOVER_LIMITS = { minSeconds: 10, maxSeconds: 600, defaultSeconds: 45 } as const;

/** A request's route, decided when it is made and carried by its ChatSession. */
export interface RoutePlan {
  /** Queue ids in order: the form's queue first, then the library's groups. */
  stages: string[];
  rolloverMs: number;
  /** Offer to the next stage when nobody accepted within rolloverMs. */
  rollOnTimeout: boolean;
}

/** The settings the plan is made from (a library row, or the parts of it that matter). */
export interface RoutingSettings {
  rolloverSeconds: number;
  overflowMode: string;
}

/**
 * The plan from the library's settings, the form's queue and the library's
 * group queues in order (src/queues/plan-route.ts reads them).
 * `scheduledFirst` maps a group queue that prefers the library scheduled now
 * to that library's queue, which then comes just before the group's.
 */
export function routeFor(settings: RoutingSettings, formQueueId: string, groupQueueIds: string[], scheduledFirst: Readonly<Record<string, string>> = {}): RoutePlan {
  const mode = (OVERFLOW_MODES as readonly string[]).includes(settings.overflowMode) ? (settings.overflowMode as OverflowMode) : "unstaffed_or_timeout";
  const rolloverMs = clampRollover(settings.rolloverSeconds) * 1000;
  if (mode === "off") return { stages: [formQueueId], rolloverMs, rollOnTimeout: false };
  const stages = [formQueueId];
  for (const group of groupQueueIds) {
    const scheduled = scheduledFirst[group];
    if (scheduled && !stages.includes(scheduled)) stages.push(scheduled);
    if (!stages.includes(group)) stages.push(group);
  }
  return { stages, rolloverMs, rollOnTimeout: mode === "unstaffed_or_timeout" };
}

function clampRollover(seconds: number): number {
  return Math.min(ROLLOVER_LIMITS.maxSeconds, Math.max(ROLLOVER_LIMITS.minSeconds, Math.round(seconds)));
}

/** Stages not yet offered, in route order: the candidates for the next roll-over. */
export function pendingStages(plan: RoutePlan, offered: readonly string[]): string[] {
  return plan.stages.filter((q) => !offered.includes(q));
}

/**
 * Why a roll-over is being considered:
 * - `arrival`: the request has just been made and the home queue was unstaffed;
 * - `unstaffed`: a queue showing the request has just lost its last monitor;
 * - `timer`: the roll-over period ran out without an accept.
 */
export type RolloverTrigger = "arrival" | "unstaffed" | "timer";

/**
 * Whether a roll-over should look for a further queue now. On a timer with
 * roll-over by timeout, yes; otherwise only when none of the queues already
 * showing the request has anybody monitoring (`offeredStaffed`).
 */
export function shouldRollOver(plan: RoutePlan, trigger: RolloverTrigger, offeredStaffed: boolean): boolean {
  if (trigger === "timer" && plan.rollOnTimeout) return true;
  return !offeredStaffed;
}

/** When the session should next consider a roll-over (null: every stage has been offered). */
export function nextRolloverAt(plan: RoutePlan, offered: readonly string[], now: number): number | null {
  return pendingStages(plan, offered).length > 0 ? now + plan.rolloverMs : null;
}
