/**
 * Where a waiting request is shown, step by step. The routing policy
 * (src/queues/routing-policy.ts) says when a request rolls over; these rules
 * say what the session stores at each step of an offer, so that a claim or a
 * withdrawal landing while an offer is in flight still reaches every queue
 * that may show the request.
 */
import type { RemovalReason } from "../../../src/objects/contracts";
import { nextRolloverAt, type RoutePlan } from "../../../src/queues/routing-policy";
import type { SessionState } from "../session-state";
import { decide, type Decision } from "./decision";
import { markUnavailable } from "./lifecycle";

/** Why a queue offered the request after it stopped waiting is told to drop it, and by whom it was taken. */
export function takeBackFrom(s: SessionState, queueId: string): Decision {
  const reason: RemovalReason = s.librarian ? "accepted" : s.status === "unavailable" ? "unavailable" : s.source === "email" ? "withdrawn" : "left";
  const by = s.librarian ? { id: s.librarian.id, name: s.librarian.name } : null;
  return decide(s, [], [{ kind: "withdraw", queueIds: [queueId], reason, by }]);
}

/** A request with a single queue was offered there: with nobody monitoring, the patron is told at once. */
export function singleQueueOffered(s: SessionState, staffed: boolean, now: number): Decision {
  return !staffed && s.status === "waiting" ? markUnavailable(s, now) : decide(s);
}

export type HomeOutcome = "stopped" | "shown" | "roll-over";

/** A routed request was offered in its home queue (kept there even when unstaffed). */
export function homeOffered(s: SessionState, route: RoutePlan, home: string, staffed: boolean, now: number): { decision: Decision; outcome: HomeOutcome } {
  if (s.status !== "waiting") return { decision: takeBackFrom(s, home), outcome: "stopped" };
  if (!staffed) return { decision: decide(s), outcome: "roll-over" };
  return { decision: decide({ ...s, rolloverAt: nextRolloverAt(route, s.queueIds, now) }), outcome: "shown" };
}

/** Lists a further queue before it is offered: a claim landing meanwhile then tells that queue too. */
export function listStage(s: SessionState, queueId: string): Decision {
  return decide({ ...s, queueIds: [...s.queueIds, queueId] });
}

export type StageOutcome = "stopped" | "shown" | "unstaffed";

/** A further queue answered its offer. */
export function stageOffered(s: SessionState, route: RoutePlan, queueId: string, staffed: boolean, now: number): { decision: Decision; outcome: StageOutcome } {
  if (s.status !== "waiting") return { decision: takeBackFrom(s, queueId), outcome: "stopped" };
  if (!staffed) return { decision: decide({ ...s, queueIds: s.queueIds.filter((q) => q !== queueId) }), outcome: "unstaffed" };
  const firstPartner = s.queueIds.length === 2;
  return {
    decision: decide(
      { ...s, rolloverAt: nextRolloverAt(route, s.queueIds, now) },
      firstPartner ? [{ kind: "line", line: { key: "partnersCanSee" } }] : [],
    ),
    outcome: "shown",
  };
}

/** When the next roll-over is considered, while the request waits. */
export function rescheduleRollover(s: SessionState, route: RoutePlan, now: number): Decision {
  return s.status === "waiting" ? decide({ ...s, rolloverAt: nextRolloverAt(route, s.queueIds, now) }) : decide(s);
}

/** No further queue had anybody monitoring: on arrival the patron is told chat is unavailable; otherwise wait and try again later. */
export function noStageStaffed(s: SessionState, route: RoutePlan, onArrival: boolean, now: number): Decision {
  return onArrival ? markUnavailable(s, now) : rescheduleRollover(s, route, now);
}

/** The roll-over time came: clear it (the roll-over that follows sets the next one). */
export function rolloverDue(s: SessionState, now: number): boolean {
  return s.status === "waiting" && !!s.route && !!s.rolloverAt && now >= s.rolloverAt;
}
