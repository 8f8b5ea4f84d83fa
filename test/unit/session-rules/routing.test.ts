/**
 * Roll-over order as pure rules: a routed request stays home, is offered to
 * the next staffed cooperative queue in the route's order, skips unstaffed
 * ones, and tells the patron once that partners can see the question.
 */
import { describe, expect, it } from "vitest";
import { homeOffered, listStage, noStageStaffed, singleQueueOffered, stageOffered, takeBackFrom } from "../../../durable-objects/chat-session/rules/routing";
import { claim } from "../../../durable-objects/chat-session/rules/claim";
import { pendingStages } from "../../../src/queues/routing-policy";
import { COOP, decided, HOME, lisa, linesOf, NIGHT, route, T0, waiting } from "./fixtures";

const plan = route([HOME, COOP, NIGHT]);

describe("roll-over", () => {
  it("a single-queue request with nobody monitoring is unavailable at once; with somebody, it waits", () => {
    expect(singleQueueOffered(waiting(), false, T0).next.status).toBe("unavailable");
    expect(singleQueueOffered(waiting(), true, T0).next.status).toBe("waiting");
  });

  it("home staffed: waits there and schedules the first roll-over; home unstaffed: rolls over at once", () => {
    const s = waiting({ route: plan });
    expect(homeOffered(s, plan, HOME, true, T0).decision.next.rolloverAt).toBe(T0 + plan.rolloverMs);
    expect(homeOffered(s, plan, HOME, false, T0).outcome).toBe("roll-over");
  });

  it("offers the stages in route order, skipping an unstaffed one, and says so to the patron only at the first partner", () => {
    let s = waiting({ route: plan });
    expect(pendingStages(plan, s.queueIds)).toEqual([COOP, NIGHT]);
    // COOP is listed, then answers that nobody is there: it is taken off again.
    s = listStage(s, COOP).next;
    expect(s.queueIds).toEqual([HOME, COOP]);
    const unstaffed = stageOffered(s, plan, COOP, false, T0 + 1);
    expect(unstaffed.outcome).toBe("unstaffed");
    s = unstaffed.decision.next;
    expect(s.queueIds).toEqual([HOME]);
    // NIGHT is next and staffed.
    s = listStage(s, NIGHT).next;
    const shown = stageOffered(s, plan, NIGHT, true, T0 + 2);
    expect(shown.outcome).toBe("shown");
    expect(linesOf(shown.decision)).toEqual(["Librarians at our partner libraries can now see your question too."]);
    // COOP stays a candidate for a later round.
    expect(pendingStages(plan, shown.decision.next.queueIds)).toEqual([COOP]);
    const later = stageOffered(listStage(shown.decision.next, COOP).next, plan, COOP, true, T0 + 3);
    expect(linesOf(later.decision)).toEqual([]);
  });

  it("an offer that lands after the request was taken is withdrawn from that queue, naming who took it", () => {
    const s = decided(claim(listStage(waiting({ route: plan }), COOP).next, lisa, [HOME], T0 + 1)).next;
    const late = stageOffered(s, plan, COOP, true, T0 + 2);
    expect(late.outcome).toBe("stopped");
    expect(late.decision.effects).toEqual([{ kind: "withdraw", queueIds: [COOP], reason: "accepted", by: { id: lisa.id, name: lisa.name } }]);
    expect(takeBackFrom({ ...waiting(), status: "ended", source: "email" }, COOP).effects[0]).toMatchObject({ reason: "withdrawn" });
  });

  it("with no staffed stage: unavailable on arrival, otherwise tries again after the roll-over time", () => {
    const s = waiting({ route: plan });
    expect(noStageStaffed(s, plan, true, T0).next.status).toBe("unavailable");
    expect(noStageStaffed(s, plan, false, T0).next).toMatchObject({ status: "waiting", rolloverAt: T0 + plan.rolloverMs });
  });
});
