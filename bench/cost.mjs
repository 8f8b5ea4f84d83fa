// `npm run bench:cost`: what 1,000 chats of a typical shape cost on Cloudflare,
// counted from the runtime (bench/cost/counting.ts on a bench server): Worker
// requests, Durable Object requests and busy time, D1 rows read and written,
// the objects' own SQLite rows, queue messages and mails. Also what an hour of
// monitoring costs with nobody asking (alarms, nothing else). Prints the
// counts per 1,000 chats and per monitor-hour as a table and JSON
// (bench/results/); docs/cost.md turns them into money.
//
//   node bench/cost.mjs [--chats=100] [--monitors=5] [--idle=60]
//
// A typical chat: the patron asks through the form (with a name and an e-mail
// address, so a transcript mail goes out), opens the chat socket; a monitoring
// librarian accepts and opens theirs; 8 messages each way, each preceded by a
// typing notice on and followed by one off; the librarian ends it with a
// resolution; the patron rates it. Time is compressed (the counts do not
// depend on it); what depends on time — alarms, pings — is measured apart,
// per monitor-hour.
import { accept, forEachLimited, startChat } from "./lib/http.mjs";
import { monitoringLibrarians } from "./lib/load-scenarios.mjs";
import { cliOptions, figure, printTable, writeResults } from "./lib/report.mjs";
import { benchFormId } from "./lib/seed.mjs";
import { librarianSocket, patronSocket } from "./lib/socket.mjs";
import { startBenchServer } from "./lib/server.mjs";

const opts = cliOptions();
const chats = Number(opts.chats ?? 100);
const monitorCount = Number(opts.monitors ?? 5);
const idleSeconds = Number(opts.idle ?? 60);
const EXCHANGES = 8;
const libraryId = "bench-load";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function usage(base, reset = false) {
  const res = await fetch(`${base}/__bench/usage${reset ? "?reset=1" : ""}`);
  return res.json();
}

/** One chat of the typical shape, start to rating. */
async function typicalChat(base, cookie, i) {
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

const perThousand = (n) => Math.round((n / chats) * 1000 * 10) / 10;
const sum = (record, filter = () => true) => Object.entries(record).filter(([k]) => filter(k)).reduce((a, [, v]) => a + v, 0);

const server = await startBenchServer({ name: "cost", usage: true });
let idle;
let chatUsage;
let cpu;
try {
  const { cookies, monitors } = await monitoringLibrarians(server.base, libraryId, monitorCount);
  // With nobody asking: what monitoring alone costs.
  console.log(`${monitorCount} librarians monitoring, nobody asking, ${idleSeconds} s…`);
  await usage(server.base, true);
  await sleep(idleSeconds * 1000);
  idle = await usage(server.base, true);

  console.log(`${chats} typical chats…`);
  const window = server.cpuWindow();
  await forEachLimited(Array.from({ length: chats }, (_, i) => i), 5, (i) => typicalChat(server.base, cookies[i % monitorCount], i));
  // The transcript mails go through the queue: wait (bounded) until every one was sent.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && (await usage(server.base)).mailsSent < chats) await sleep(500);
  // Let the objects' last events finish (closes, the queue's sweep).
  await sleep(2000);
  cpu = window.stop();
  chatUsage = await usage(server.base);
  for (const m of monitors) m.close(1000);
} finally {
  await server.stop();
}

const u = chatUsage;
const monitorHours = (monitorCount * idleSeconds) / 3600;
const perMonitorHour = (n) => Math.round((n / monitorHours) * 10) / 10;
const wsMessages = sum(u.objectRequests, (k) => k.endsWith("websocket message"));
const otherObjectRequests = sum(u.objectRequests, (k) => !k.endsWith("websocket message"));
const counts = {
  workerRequests: perThousand(u.workerRequests),
  workerQueueInvocations: perThousand(u.workerQueueBatches),
  objectRequestsExceptWebSocketMessages: perThousand(otherObjectRequests),
  objectWebSocketMessagesIn: perThousand(wsMessages),
  objectRequestsBilled: perThousand(otherObjectRequests + wsMessages / 20),
  objectBusySeconds: perThousand(sum(u.objectBusyMs) / 1000),
  objectGbSeconds: perThousand((sum(u.objectBusyMs) / 1000) * 0.125),
  d1RowsRead: perThousand(u.d1RowsRead),
  d1RowsWritten: perThousand(u.d1RowsWritten),
  d1Queries: perThousand(u.d1Queries),
  objectSqlRowsRead: perThousand(u.objectSqlRowsRead),
  objectSqlRowsWritten: perThousand(u.objectSqlRowsWritten),
  queueMessages: perThousand(u.queueMessagesSent),
  queueOperations: perThousand(u.queueMessagesSent * 3),
  mails: perThousand(u.mailsSent),
  runtimeCpuSecondsUpperBound: perThousand(((cpu.serverPercent.runtime / 100) * cpu.windowSeconds)),
};
const monitoring = {
  objectRequests: perMonitorHour(sum(idle.objectRequests)),
  alarms: perMonitorHour(sum(idle.objectRequests, (k) => k.endsWith("alarm"))),
  objectBusySeconds: perMonitorHour(sum(idle.objectBusyMs) / 1000),
  workerRequests: perMonitorHour(idle.workerRequests),
  d1RowsRead: perMonitorHour(idle.d1RowsRead),
  d1RowsWritten: perMonitorHour(idle.d1RowsWritten),
};
const figures = [
  figure("per 1,000 chats: Worker requests (HTTP, upgrades included)", counts.workerRequests, ""),
  figure("per 1,000 chats: Worker queue-consumer invocations", counts.workerQueueInvocations, ""),
  figure("per 1,000 chats: object requests (RPC, upgrades, alarms)", counts.objectRequestsExceptWebSocketMessages, ""),
  figure("per 1,000 chats: WebSocket messages into objects (billed 20:1)", counts.objectWebSocketMessagesIn, ""),
  figure("per 1,000 chats: object requests as billed", counts.objectRequestsBilled, ""),
  figure("per 1,000 chats: object busy time / GB-s at 128 MB", `${counts.objectBusySeconds} / ${counts.objectGbSeconds}`, "s"),
  figure("per 1,000 chats: D1 rows read / written", `${counts.d1RowsRead} / ${counts.d1RowsWritten}`, ""),
  figure("per 1,000 chats: D1 queries", counts.d1Queries, ""),
  figure("per 1,000 chats: objects' SQLite rows read / written", `${counts.objectSqlRowsRead} / ${counts.objectSqlRowsWritten}`, ""),
  figure("per 1,000 chats: queue messages / operations", `${counts.queueMessages} / ${counts.queueOperations}`, ""),
  figure("per 1,000 chats: mails", counts.mails, ""),
  figure("per 1,000 chats: runtime CPU (Worker + objects + local D1; upper bound of Worker CPU)", counts.runtimeCpuSecondsUpperBound, "s"),
  figure("per monitor-hour, nobody asking: object requests (alarms)", `${monitoring.objectRequests} (${monitoring.alarms})`, ""),
  figure("per monitor-hour, nobody asking: object busy time", monitoring.objectBusySeconds, "s"),
  figure("per monitor-hour, nobody asking: Worker requests / D1 rows read / written", `${monitoring.workerRequests} / ${monitoring.d1RowsRead} / ${monitoring.d1RowsWritten}`, ""),
  figure("other jobs on the machine during the chats", cpu.otherProcessesPercent, "% of a core"),
];
printTable(`Cost counts: ${chats} typical chats, ${monitorCount} monitors`, figures);
writeResults("cost", { chats, monitors: monitorCount, idleSeconds, exchanges: EXCHANGES, figures, perThousandChats: counts, perMonitorHour: monitoring, raw: { chats: chatUsage, idle }, cpu });
