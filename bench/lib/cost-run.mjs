// The typical chat the cost bench counts (bench/cost.mjs, and its quick
// check in test/browser/proof-cost.test.ts), and reading the counts of a
// bench server started with `usage` (bench/cost/counting.ts).
import { accept, startChat } from "./http.mjs";
import { benchFormId } from "./seed.mjs";
import { librarianSocket, patronSocket } from "./socket.mjs";

/** Messages each way in a typical chat. */
export const EXCHANGES = 8;

/** The counts so far (`reset`: and start them again). */
export async function usage(base, reset = false) {
  const res = await fetch(`${base}/__bench/usage${reset ? "?reset=1" : ""}`);
  if (res.status !== 200) throw new Error(`usage: ${res.status} (is the server started with usage?)`);
  return res.json();
}

/**
 * One chat of the typical shape, start to rating: the patron asks with a
 * name and an e-mail address and opens the chat socket; the librarian
 * (`cookie`, monitoring) accepts and opens theirs; EXCHANGES messages each
 * way, each with a typing notice before and after; the librarian ends it
 * with a resolution; the patron rates it.
 */
export async function typicalChat(base, cookie, i, libraryId) {
  const chat = await startChat(base, { formId: benchFormId(libraryId), question: `cost question ${i}`, name: `Patron ${i}`, email: `patron-${i}@bench.example` });
  if (chat.httpStatus !== 201 || chat.status !== "waiting") throw new Error(`chat ${i}: ${chat.httpStatus} ${JSON.stringify(chat)}`);
  const patron = await patronSocket(base, chat.sessionId, chat.token);
  const taken = await accept(base, chat.sessionId, cookie);
  if (taken.status !== 200) throw new Error(`accept ${i}: ${taken.status} ${JSON.stringify(taken.body)}`);
  const librarian = await librarianSocket(base, chat.sessionId, cookie);
  for (let k = 0; k < EXCHANGES; k++) {
    for (const [who, s] of [["p", patron], ["l", librarian]]) {
      s.send({ type: "typing", active: true });
      const ack = await s.sendChat(`${who}${i}-${k}`, `${who === "p" ? "Patron" : "Librarian"} message ${k} of chat ${i}: a sentence or two of an ordinary reference question.`);
      if (ack.type !== "ack") throw new Error(`message ${who}${i}-${k}: ${JSON.stringify(ack)}`);
      s.send({ type: "typing", active: false });
    }
  }
  const end = await fetch(`${base}/api/chats/${chat.sessionId}/end`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: base, "Content-Type": "application/json" },
    body: JSON.stringify({ resolution: "answered", descriptiveCodes: [] }),
  });
  if (end.status !== 200) throw new Error(`end ${i}: ${end.status} ${await end.text()}`);
  const rating = await fetch(`${base}/api/chats/${chat.sessionId}/rating`, {
    method: "POST",
    headers: { Authorization: `Bearer ${chat.token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ rating: 5 }),
  });
  if (rating.status !== 200) throw new Error(`rating ${i}: ${rating.status} ${await rating.text()}`);
  patron.close(1000);
  librarian.close(1000);
}
