/**
 * Offering a request to queues, rolling it over to cooperative queues, and
 * offering a chat for transfer:
 * the steps that await queue objects, each followed by a commit of what the
 * answer means (rules/routing.ts). Roll-overs run one after another, so two
 * triggers never offer the same stage twice; each new queue is listed in
 * `queueIds` before it is offered, so a claim landing meanwhile tells it too.
 */
import type { RolloverTrigger } from "../../src/queues/routing-policy";
import { pendingStages, shouldRollOver } from "../../src/queues/routing-policy";
import type { ConsultInvitation, ConsultResult, TransferOffer, TransferResult } from "../../src/objects/contracts";
import { consultNotShown, inviteConsultant } from "./rules/consult";
import { refuse } from "./rules/decision";
import { markUnavailable } from "./rules/lifecycle";
import { nobodyToTakeIt, offerTransfer, transferNotShown, transferShown } from "./rules/transfer";
import { consultRequestFor, sessionView, transferRequestFor, type ConsultInvite, type PendingTransfer } from "./session-state";
import { homeOffered, listStage, noStageStaffed, rescheduleRollover, singleQueueOffered, stageOffered, type HomeOutcome, type StageOutcome } from "./rules/routing";
import { logFailure } from "../shared/log";
import type { SessionCore } from "./session-core";

export class SessionOffers {
  /** The tail of the roll-overs in progress. */
  private rolling: Promise<void> = Promise.resolve();

  constructor(private readonly core: SessionCore) {}

  /** Offers a new request: along its route, or to its one queue. */
  async offerNew(): Promise<void> {
    const s = this.core.state!;
    if (s.route) return this.offerAtHome();
    const queueId = s.queueIds[0]!;
    const { staffed } = await this.core.queue(queueId).offer(this.core.queuedRequest(s, queueId));
    await this.core.commit((current, now) => singleQueueOffered(current, staffed, now));
  }

  /** Offers a routed request in its home queue (kept there even if unstaffed), rolling over at once if nobody is monitoring. */
  private async offerAtHome(): Promise<void> {
    const s = this.core.state!;
    const route = s.route!;
    const home = route.stages[0]!;
    const { staffed } = await this.core.queue(home).offer(this.core.queuedRequest(s, home), { keepWhenUnstaffed: true, watchStaffing: true });
    let outcome = "stopped" as HomeOutcome;
    await this.core.commit((current, now) => {
      const answer = homeOffered(current, route, home, staffed, now);
      outcome = answer.outcome;
      return answer.decision;
    });
    if (outcome === "roll-over") await this.rollOver("arrival");
  }

  /** Offers a chat handed back by its librarian to every queue it was in; with nobody there, the patron is told. */
  async offerAgain(): Promise<void> {
    const s = this.core.state!;
    const offers = await Promise.all(
      s.queueIds.map((q) =>
        this.core
          .queue(q)
          .offer(this.core.queuedRequest(this.core.state!, q))
          .catch((error: unknown) => (logFailure("queue_offer_failed", s.sessionId)(error), { staffed: false })),
      ),
    );
    if (!offers.some((o) => o.staffed)) await this.core.commit((current, now) => markUnavailable(current, now));
  }

  /**
   * Offers a chat for transfer: the offer is stored first (so a claim from
   * the queue sees it), then shown by the target queue; shown to nobody, it is
   * taken back and the librarian told who is not there.
   */
  async offerTransfer(input: TransferOffer): Promise<TransferResult> {
    const queueIdsBefore = this.core.state?.queueIds ?? [];
    const offered: { transfer?: PendingTransfer } = {};
    const stored = await this.core.commit((s, now) => {
      const verdict = offerTransfer(s, input, crypto.randomUUID(), now);
      if (verdict.ok) offered.transfer = verdict.transfer;
      return verdict;
    });
    const transfer = offered.transfer;
    if (!stored.ok || !transfer) return stored as TransferResult;
    const s = stored.state;
    let failed = false;
    const request = transferRequestFor(s, transfer, this.core.store.waitingPreview());
    const shown = await this.core
      .queue(transfer.queueId)
      .offerTransfer(request, { fromLibrarianId: input.from.id, toLibrarianId: input.to.kind === "librarian" ? input.to.librarian.id : null })
      .catch((error: unknown) => {
        logFailure("transfer_offer_failed", s.sessionId)(error);
        failed = true;
        return { staffed: false };
      });
    if (!shown.staffed) {
      await this.core.commit((current) => transferNotShown(current, transfer, queueIdsBefore));
      // A call that failed may still have reached the queue: make sure no offer is left showing there.
      if (failed) await this.core.runEffects([{ kind: "withdraw", queueIds: [transfer.queueId], reason: "withdrawn", by: null }]);
      return nobodyToTakeIt(transfer);
    }
    const result = await this.core.commit((current) => transferShown(current, transfer));
    return result.ok ? { ok: true, session: sessionView(result.state) } : (result as TransferResult);
  }

  /** Invites a colleague to consult: stored first, then shown to them alone on the queue they monitor; shown to nobody, taken back. */
  async inviteConsultant(input: ConsultInvitation): Promise<ConsultResult> {
    const invited: { invite?: ConsultInvite } = {};
    const stored = await this.core.commit((s, now) => {
      const verdict = inviteConsultant(s, input, crypto.randomUUID(), now);
      if (verdict.ok) invited.invite = verdict.invite;
      return verdict;
    });
    const invite = invited.invite;
    if (!stored.ok || !invite) return stored as ConsultResult;
    const request = consultRequestFor(stored.state, invite, this.core.store.waitingPreview());
    const shown = await this.core
      .queue(invite.queueId)
      .offerTransfer(request, { fromLibrarianId: input.from.id, toLibrarianId: input.to.id })
      .catch((error: unknown) => (logFailure("consult_offer_failed", stored.state.sessionId)(error), { staffed: false }));
    if (!shown.staffed) {
      await this.core.commit((current) => consultNotShown(current, invite));
      return refuse("not_found", `${input.to.name} is not monitoring right now.`, { field: "librarianId" });
    }
    return { ok: true, session: sessionView(this.core.state!) };
  }

  /** Queues a roll-over behind any in progress. */
  rollOver(trigger: RolloverTrigger, unstaffedQueueId?: string): Promise<void> {
    const run = this.rolling.then(() => this.rollOverNow(trigger, unstaffedQueueId));
    this.rolling = run.catch(logFailure("rollover_failed", this.core.state?.sessionId ?? ""));
    return run;
  }

  private async rollOverNow(trigger: RolloverTrigger, unstaffedQueueId?: string): Promise<void> {
    const start = this.core.state;
    if (!start?.route || start.status !== "waiting") return;
    const route = start.route;
    let offeredStaffed = false;
    if (trigger !== "arrival" && !(trigger === "timer" && route.rollOnTimeout)) {
      const ask = start.queueIds.filter((q) => q !== unstaffedQueueId);
      // A queue that cannot answer counts as unstaffed: moving on is the safer mistake for a waiting patron.
      const answers = await Promise.all(ask.map((q) => this.core.queue(q).staffing().catch(() => ({ staffed: false }))));
      offeredStaffed = answers.some((a) => a.staffed);
    }
    if (!shouldRollOver(route, trigger, offeredStaffed)) {
      await this.core.commit((s, now) => rescheduleRollover(s, route, now));
      return;
    }
    for (const queueId of pendingStages(route, start.queueIds)) {
      if (this.core.state!.status !== "waiting") return;
      await this.core.commit((s) => listStage(s, queueId));
      const { staffed } = await this.core
        .queue(queueId)
        .offer(this.core.queuedRequest(this.core.state!, queueId), { watchStaffing: true })
        .catch((error: unknown) => (logFailure("rollover_offer_failed", start.sessionId)(error), { staffed: false }));
      let outcome = "stopped" as StageOutcome;
      await this.core.commit((s, now) => {
        const answer = stageOffered(s, route, queueId, staffed, now);
        outcome = answer.outcome;
        return answer.decision;
      });
      if (outcome !== "unstaffed") return;
    }
    // No further queue has anybody monitoring.
    await this.core.commit((s, now) => noStageStaffed(s, route, trigger === "arrival", now));
  }
}
