// The accept race: `racers` librarians, all monitoring the queue, accept the
// same waiting request at the same instant, `trials` times. Every trial must
// end with exactly one winner, every other librarian told "already_taken" by
// the winner's name, every monitor told once that the winner took it, and the
// stored session naming the winner with one "joined" line.
import { accept, sessionView, startChat, transcript } from "./http.mjs";
import { monitoringLibrarians } from "./load-scenarios.mjs";
import { benchFormId, benchLibrarianName } from "./seed.mjs";
import { summarize } from "./stats.mjs";

const range = (n) => Array.from({ length: n }, (_, i) => i);

/** Resolves when `check()` is true (polled), or rejects after `timeoutMs`. */
async function until(check, timeoutMs, what) {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/**
 * Runs the trials against `base`. Returns counts of trials that broke each
 * rule (all must be 0), the accept latencies, and how often a rival's refusal
 * came back before the winner's success (the claims really overlapped).
  *
 * @param {string} base
 * @param {{ trials: number, racers?: number, libraryId?: string, onProgress?: (done: number) => void }} options
 * @returns {Promise<any>}
 */
export async function acceptRace(base, { trials, racers = 50, libraryId = "bench-race", onProgress } = {}) {
  const added = new Map();
  const removed = new Map();
  const { cookies, monitors } = await monitoringLibrarians(base, libraryId, racers, (i, f) => {
    if (f.type === "request.added") added.set(f.request.sessionId, (added.get(f.request.sessionId) ?? 0) + 1);
    if (f.type === "request.removed") {
      const list = removed.get(f.sessionId) ?? [];
      list.push({ monitor: i, reason: f.reason, by: f.by?.name ?? null });
      removed.set(f.sessionId, list);
    }
  });
  const names = range(racers).map((i) => benchLibrarianName(libraryId, i + 1));
  const broken = { notOneWinner: 0, loserNotTaken: 0, monitorsNotToldOnce: 0, storedWinnerWrong: 0, joinedLinesWrong: 0 };
  const failures = [];
  const acceptMs = [];
  let rivalAnsweredBeforeWinner = 0;
  const wins = new Map();
  for (const trial of range(trials)) {
    const chat = await startChat(base, { formId: benchFormId(libraryId), question: `race trial ${trial}` });
    if (chat.httpStatus !== 201 || chat.status !== "waiting") throw new Error(`trial ${trial}: chat did not start waiting: ${JSON.stringify(chat)}`);
    // Every racer sees the request before anyone accepts, as in the monitor.
    await until(() => added.get(chat.sessionId) === racers, 10_000, `request shown to ${racers} monitors`);

    let order = 0;
    const outcomes = await Promise.all(cookies.map(async (cookie, i) => ({ i, ...(await accept(base, chat.sessionId, cookie)), order: order++ })));

    for (const o of outcomes) acceptMs.push(o.ms);
    const winners = outcomes.filter((o) => o.status === 200);
    const problems = [];
    if (winners.length !== 1) {
      broken.notOneWinner++;
      problems.push(`${winners.length} winners`);
    }
    const winner = winners[0];
    const winnerName = winner ? names[winner.i] : null;
    const badLosers = outcomes.filter((o) => o !== winner && !(o.status === 409 && o.body?.error?.code === "already_taken" && o.body.error.takenBy === winnerName));
    if (badLosers.length > 0) {
      broken.loserNotTaken++;
      problems.push(`losers not told "taken by ${winnerName}": ${JSON.stringify(badLosers.slice(0, 2).map((o) => [o.status, o.body]))}`);
    }
    if (winner && outcomes.some((o) => o !== winner && o.order < winner.order)) rivalAnsweredBeforeWinner++;
    if (winnerName) wins.set(winnerName, (wins.get(winnerName) ?? 0) + 1);

    await until(() => (removed.get(chat.sessionId)?.length ?? 0) >= racers, 10_000, "removal shown to every monitor").catch(() => {});
    const removals = removed.get(chat.sessionId) ?? [];
    const perMonitor = new Set(removals.map((r) => r.monitor));
    if (removals.length !== racers || perMonitor.size !== racers || removals.some((r) => r.reason !== "accepted" || r.by !== winnerName)) {
      broken.monitorsNotToldOnce++;
      problems.push(`monitors told: ${JSON.stringify(removals.slice(0, 3))} (${removals.length})`);
    }
    const cookie = cookies[winner?.i ?? 0];
    const view = await sessionView(base, chat.sessionId, cookie);
    if (view.status !== "active" || view.librarian?.name !== winnerName) {
      broken.storedWinnerWrong++;
      problems.push(`stored: ${view.status} ${view.librarian?.name}`);
    }
    const joined = (await transcript(base, chat.sessionId, cookie)).filter((m) => m.kind === "system" && m.body.endsWith("has joined the chat."));
    if (joined.length !== 1 || joined[0].body !== `${winnerName} has joined the chat.`) {
      broken.joinedLinesWrong++;
      problems.push(`joined lines: ${JSON.stringify(joined.map((m) => m.body))}`);
    }
    if (problems.length) failures.push({ trial, sessionId: chat.sessionId, problems });
    added.delete(chat.sessionId);
    removed.delete(chat.sessionId);
    onProgress?.(trial + 1);
  }
  for (const m of monitors) m.close(1000);
  const brokenTrials = failures.length;
  return {
    trials,
    racers,
    trialsWithExactlyOneWinnerAndAllOthersTaken: trials - broken.notOneWinner - broken.loserNotTaken,
    brokenTrials,
    broken,
    failureSamples: failures.slice(0, 5),
    rivalAnsweredBeforeWinner,
    distinctWinners: wins.size,
    acceptMs: summarize(acceptMs),
  };
}
