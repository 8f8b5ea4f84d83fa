/**
 * What the one alarm does when it rings: every timer that is due, in order,
 * each through a rule and a commit — the wait limit, a roll-over, an
 * unanswered request given up, a filing retry, co-browsing that did not come
 * back, a transfer or consult invitation that lapsed, an idle chat, a patron
 * gone while waiting, a D1 copy to write, librarians' sign-ins to re-check,
 * and sockets that never said hello. Then the alarm is set for what is next.
 */
import { CLOSE_CODES } from "../../src/shared/close-codes";
import { closeSocket } from "../shared/sockets";
import { errorFrame } from "./chat-socket";
import type { SessionOffers } from "./offers";
import { sharingTimedOut } from "./rules/cobrowse";
import { consultInviteExpired } from "./rules/consult";
import { decide, refuse } from "./rules/decision";
import { needsFiling } from "./rules/filing";
import { abandonUnavailable, endIdle, patronGoneForGood, waitLimitPassed } from "./rules/lifecycle";
import { rolloverDue } from "./rules/routing";
import { transferExpired } from "./rules/transfer";
import type { SessionCore } from "./session-core";

export async function runDueTimers(core: SessionCore, offers: SessionOffers): Promise<void> {
  core.alarmRan();
  await core.commit((s, now) => waitLimitPassed(s, now));
  if (core.state && rolloverDue(core.state, core.now())) {
    await core.commit((s) => decide({ ...s, rolloverAt: null }));
    await offers.rollOver("timer");
  }
  await core.commit((s, now) => abandonUnavailable(s, now));
  if (core.state && needsFiling(core.state)) await core.file();
  await core.commit((s, now) => sharingTimedOut(s, now));
  await core.commit((s, now) => transferExpired(s, now));
  await core.commit((s, now) => consultInviteExpired(s, now));
  await core.commit((s, now) => endIdle(s, core.store.lastMessageAt, now));
  await core.commit((s, now) => patronGoneForGood(s, now));
  const mirrorDue = core.mirror.dueAt();
  if (mirrorDue !== null && mirrorDue <= core.now()) await core.mirror.flush();
  await core.access.checkIfDue(core.now());
  for (const ws of core.sockets.silentPast(core.now())) {
    core.sockets.send(ws, errorFrame(refuse("hello_required", "No hello received in time.")));
    closeSocket(ws, CLOSE_CODES.policy, "no hello");
  }
  await core.scheduleAlarm();
}
