// Single fault cases, each checked exactly: a socket that vanishes without a
// close frame (patron and monitor), two simultaneous connections of one
// patron, and a session object that hibernates mid-chat.
import { accept, signIn, startChat, transcript } from "./http.mjs";
import { benchFormId, benchLibrarianEmail, benchLibrarianName, benchQueueId } from "./seed.mjs";
import { librarianSocket, monitorSocket, patronSocket } from "./socket.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const messages = (s) => s.frames.filter((f) => f.type === "message").map((f) => f.message);
const lastSeq = (s) => messages(s).at(-1)?.seq ?? 0;

const send = (s, clientId, body) => s.sendChat(clientId, body);

/** An accepted chat in `libraryId` with a patron and a librarian socket, both past hello. */
async function activeChat(base, libraryId, n = 1) {
  const cookie = await signIn(base, benchLibrarianEmail(libraryId, n));
  const monitor = await monitorSocket(base, benchQueueId(libraryId), cookie);
  const chat = await startChat(base, { formId: benchFormId(libraryId), question: `case question ${Date.now()}` });
  const accepted = await accept(base, chat.sessionId, cookie);
  monitor.close(1000);
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status}`);
  const patron = await patronSocket(base, chat.sessionId, chat.token);
  const librarian = await librarianSocket(base, chat.sessionId, cookie);
  await Promise.all([patron, librarian].map((s) => s.next((f) => f.type === "message" && f.message.body.endsWith("has joined the chat."))));
  return { chat, cookie, patron, librarian };
}

/** A patron's socket dies without a close frame: the librarian sees them stop typing, and a reconnect gets exactly what was missed.  *
 * @param {string} base
 * @param {string} [libraryId]
 * @returns {Promise<{ name: string, ok: boolean, details: any }>}
 */
export async function patronVanishes(base, libraryId = "bench-faults") {
  const { chat, cookie, patron, librarian } = await activeChat(base, libraryId, 1);
  patron.send({ type: "typing", active: true });
  await librarian.next((f) => f.type === "typing" && f.role === "patron" && f.active);
  const seenBefore = lastSeq(patron);
  const from = librarian.frames.length;
  patron.kill();
  const stopped = await librarian.next((f) => f.type === "typing" && f.role === "patron" && !f.active, 10_000, from).then(
    () => true,
    () => false,
  );
  const missed = [];
  for (let i = 0; i < 3; i++) missed.push((await send(librarian, `while-away-${i}`, `Sent while the patron was away ${i}`)).seq);
  const back = await patronSocket(base, chat.sessionId, chat.token, { lastSeq: seenBefore });
  await back.next((f) => f.type === "message" && f.message.seq === missed.at(-1));
  await sleep(200);
  const got = messages(back).map((m) => m.seq);
  const stored = await transcript(base, chat.sessionId, cookie);
  back.close();
  librarian.close();
  const ok = stopped && JSON.stringify(got) === JSON.stringify(missed) && stored.length === missed.at(-1);
  return { name: "patron socket closed without a close frame", ok, details: { serverNoticed: stopped, missed, redelivered: got, stored: stored.length } };
}

/** A monitor's socket dies without a close frame: the others see them "reconnecting" (grace period), then back.  *
 * @param {string} base
 * @param {string} [libraryId]
 * @returns {Promise<{ name: string, ok: boolean, details: any }>}
 */
export async function monitorVanishes(base, libraryId = "bench-faults") {
  const [a, b] = await Promise.all([2, 3].map((n) => signIn(base, benchLibrarianEmail(libraryId, n))));
  const nameA = benchLibrarianName(libraryId, 2);
  const queueId = benchQueueId(libraryId);
  const monA = await monitorSocket(base, queueId, a);
  const monB = await monitorSocket(base, queueId, b);
  // What B's list says of A: the latest presence frame that names A (the whole list, or a change).
  const presenceOfA = (f) => (f.type === "presence" || f.type === "presence.changed") && f.monitors.find((m) => m.name === nameA);
  const from = monB.frames.length;
  monA.kill();
  const gone = await monB.next((f) => presenceOfA(f)?.reconnecting === true, 10_000, from).then(
    () => true,
    () => false,
  );
  // Still counted as monitoring: a new request waits instead of being told nobody is there.
  monB.close(1000);
  await monB.whenClosed();
  const chat = await startChat(base, { formId: benchFormId(libraryId), question: "during the grace period" });
  const monA2 = await monitorSocket(base, queueId, a);
  const snapshot = monA2.frames.find((f) => f.type === "queue.snapshot");
  const backOnline = snapshot.monitors.find((m) => m.name === nameA)?.reconnecting === false;
  monA2.close(1000);
  const ok = gone && chat.status === "waiting" && backOnline;
  return { name: "monitor socket closed without a close frame", ok, details: { shownReconnecting: gone, requestDuringGrace: chat.status, backOnline } };
}

/** Two connections of one patron (two tabs): both show the same messages, in the same order, each once; nothing stored twice.  *
 * @param {string} base
 * @param {string} [libraryId]
 * @returns {Promise<{ name: string, ok: boolean, details: any }>}
 */
export async function twoPatronConnections(base, libraryId = "bench-faults") {
  const { chat, cookie, patron: tab1, librarian } = await activeChat(base, libraryId, 4);
  const tab2 = await patronSocket(base, chat.sessionId, chat.token);
  const acks = [];
  for (let i = 0; i < 10; i++) {
    // Sent without waiting, so the three senders' messages interleave.
    acks.push(send(tab1, `tab1-${i}`, `from tab one ${i}`), send(tab2, `tab2-${i}`, `from tab two ${i}`), send(librarian, `lib-${i}`, `from the librarian ${i}`));
  }
  const acked = await Promise.all(acks);
  const top = Math.max(...acked.map((a) => a.seq ?? 0));
  await Promise.all([tab1, tab2, librarian].map((s) => s.next((f) => f.type === "message" && f.message.seq === top)));
  await sleep(200);
  const stored = await transcript(base, chat.sessionId, cookie);
  const view = (s) => messages(s).map((m) => m.seq);
  const storedSeqs = stored.map((m) => m.seq);
  const sameEverywhere = [tab1, tab2, librarian].every((s) => JSON.stringify(view(s)) === JSON.stringify(storedSeqs));
  const storedOnce = new Set(stored.filter((m) => m.clientId).map((m) => m.clientId)).size === stored.filter((m) => m.clientId).length && stored.filter((m) => m.clientId).length === 30;
  const allAcked = acked.every((a) => a.type === "ack" && !a.duplicate);
  for (const s of [tab1, tab2, librarian]) s.close();
  return { name: "two simultaneous connections of one patron", ok: sameEverywhere && storedOnce && allAcked, details: { stored: stored.length, sameOrderOnAllThree: sameEverywhere, eachStoredOnce: storedOnce, allAcknowledged: allAcked } };
}

/**
 * The session object hibernates mid-chat: nothing but pings for `idleMs`
 * (workerd evicts objects idle for 10 s; pings are answered without waking
 * them). Afterwards the open sockets still work without a new hello, numbering
 * continues, a retry of a pre-idle client id gets its original number, and a
 * fresh connection replays the whole log in order.
 */
export async function hibernationMidChat(base, { idleMs = 12_000, libraryId = "bench-faults" } = {}) {
  const { chat, cookie, patron, librarian } = await activeChat(base, libraryId, 5);
  const before = [];
  for (let i = 0; i < 3; i++) {
    before.push(await send(patron, `p-${i}`, `before the nap ${i}`));
    before.push(await send(librarian, `l-${i}`, `reply before the nap ${i}`));
  }
  const idleUntil = Date.now() + idleMs;
  while (Date.now() < idleUntil) {
    await sleep(Math.min(4000, idleUntil - Date.now()));
    for (const s of [patron, librarian]) s.send("ping");
  }
  const after = await send(patron, "p-after", "after the nap");
  const delivered = await librarian.next((f) => f.type === "message" && f.message.body === "after the nap").then(
    () => true,
    () => false,
  );
  const retry = await send(patron, "p-0", "before the nap 0");
  const replay = await patronSocket(base, chat.sessionId, chat.token);
  const stored = await transcript(base, chat.sessionId, cookie);
  await replay.next((f) => f.type === "message" && f.message.seq === stored.at(-1).seq);
  const replayed = messages(replay).map((m) => m.seq);
  const lastBefore = before.at(-1).seq;
  for (const s of [patron, librarian, replay]) s.close();
  const ok =
    after.type === "ack" &&
    after.seq === lastBefore + 1 &&
    !after.duplicate &&
    delivered &&
    retry.duplicate === true &&
    retry.seq === before[0].seq &&
    JSON.stringify(replayed) === JSON.stringify(stored.map((m) => m.seq)) &&
    stored.every((m, i) => m.seq === i + 1);
  return { name: `session object idle ${idleMs / 1000} s mid-chat (hibernation)`, ok, details: { seqAfter: after.seq, lastBefore, deliveredAfter: delivered, retryOfOldId: { seq: retry.seq, duplicate: retry.duplicate }, replayed: replayed.length, stored: stored.length } };
}
