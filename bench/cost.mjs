// `npm run bench:cost`: what 1,000 chats of a typical shape cost on Cloudflare,
// counted from the runtime (bench/cost/counting.ts on a bench server): Worker
// requests, Durable Object requests and busy time, D1 rows read and written,
// the objects' own SQLite rows, queue messages and mails. Also what an hour of
// monitoring a queue costs with nobody asking (its alarm; pings are answered
// by the runtime without waking it). Prints the counts per 1,000 chats and
// per monitored queue-hour, and a month's bill on Cloudflare's published
// prices (bench/lib/cost-model.mjs) for a small library and a statewide
// cooperative, as a table and JSON (bench/results/); docs/cost.md explains them.
//
//   node bench/cost.mjs [--chats=100] [--monitors=5] [--idle=60]
//
// A typical chat: the patron asks through the form (with a name and an e-mail
// address, so a transcript mail goes out), opens the chat socket; a monitoring
// librarian accepts and opens theirs; 8 messages each way, each preceded by a
// typing notice on and followed by one off; the librarian ends it with a
// resolution; the patron rates it. Time is compressed (the counts do not
// depend on it); what depends on time — the queue's alarm — is measured
// apart, per queue-hour.
import { monthlyBill, PRICES_READ_ON } from "./lib/cost-model.mjs";
import { EXCHANGES, typicalChat, usage } from "./lib/cost-run.mjs";
import { forEachLimited } from "./lib/http.mjs";
import { monitoringLibrarians } from "./lib/load-scenarios.mjs";
import { cliOptions, figure, printTable, writeResults } from "./lib/report.mjs";
import { startBenchServer } from "./lib/server.mjs";

const opts = cliOptions();
const chats = Number(opts.chats ?? 100);
const monitorCount = Number(opts.monitors ?? 5);
const idleSeconds = Number(opts.idle ?? 60);
const libraryId = "bench-load";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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
  await forEachLimited(Array.from({ length: chats }, (_, i) => i), 5, (i) => typicalChat(server.base, cookies[i % monitorCount], i, libraryId));
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
const queueHours = idleSeconds / 3600;
const perQueueHour = (n) => Math.round((n / queueHours) * 10) / 10;
const wsMessages = sum(u.objectRequests, (k) => k.endsWith("websocket message"));
const otherObjectRequests = sum(u.objectRequests, (k) => !k.endsWith("websocket message"));
const runtimeCpuMs = (cpu.serverPercent.runtime / 100) * cpu.windowSeconds * 1000;
/** Per 1,000 chats, in the units of the price list (bench/lib/cost-model.mjs). */
const perThousandChats = {
  workerRequests: perThousand(u.workerRequests + u.workerQueueBatches),
  workerCpuMs: perThousand(runtimeCpuMs),
  objectRequests: perThousand(otherObjectRequests + wsMessages / 20),
  objectGbSeconds: perThousand((sum(u.objectBusyMs) / 1000) * 0.125),
  objectRowsRead: perThousand(u.objectSqlRowsRead),
  objectRowsWritten: perThousand(u.objectSqlRowsWritten),
  d1RowsRead: perThousand(u.d1RowsRead),
  d1RowsWritten: perThousand(u.d1RowsWritten),
  queueOperations: perThousand(u.queueMessagesSent * 3),
  mails: perThousand(u.mailsSent),
};
/** Per hour of one queue monitored (by `monitorCount` librarians) with nobody asking. */
const perQueueHourUsage = {
  workerRequests: perQueueHour(idle.workerRequests),
  objectRequests: perQueueHour(sum(idle.objectRequests)),
  objectGbSeconds: perQueueHour((sum(idle.objectBusyMs) / 1000) * 0.125),
  objectRowsRead: perQueueHour(idle.objectSqlRowsRead),
  objectRowsWritten: perQueueHour(idle.objectSqlRowsWritten),
  d1RowsRead: perQueueHour(idle.d1RowsRead),
  d1RowsWritten: perQueueHour(idle.d1RowsWritten),
};
// A small public library: 500 chats a month, its one queue monitored 40 hours a week.
// A statewide cooperative: 50,000 chats a month, its queue monitored around the clock.
const small = monthlyBill({ perThousandChats, perQueueHour: perQueueHourUsage, chats: 500, queueHours: 40 * 52 / 12 });
const statewide = monthlyBill({ perThousandChats, perQueueHour: perQueueHourUsage, chats: 50_000, queueHours: 24 * 365 / 12 });
const figures = [
  figure("per 1,000 chats: Worker requests (HTTP, upgrades included)", perThousand(u.workerRequests), ""),
  figure("per 1,000 chats: Worker queue-consumer invocations", perThousand(u.workerQueueBatches), ""),
  figure("per 1,000 chats: object requests (RPC, upgrades, alarms)", perThousand(otherObjectRequests), ""),
  figure("per 1,000 chats: WebSocket messages into objects (billed 20:1)", perThousand(wsMessages), ""),
  figure("per 1,000 chats: object requests as billed", perThousandChats.objectRequests, ""),
  figure("per 1,000 chats: object busy time / GB-s at 128 MB", `${perThousand(sum(u.objectBusyMs) / 1000)} / ${perThousandChats.objectGbSeconds}`, "s"),
  figure("per 1,000 chats: objects touched (ChatSession / RequestQueue)", `${perThousand(u.objectsTouched.ChatSession ?? 0)} / ${perThousand(u.objectsTouched.RequestQueue ?? 0)}`, ""),
  figure("per 1,000 chats: D1 rows read / written", `${perThousandChats.d1RowsRead} / ${perThousandChats.d1RowsWritten}`, ""),
  figure("per 1,000 chats: D1 queries", perThousand(u.d1Queries), ""),
  figure("per 1,000 chats: objects' SQLite rows read / written", `${perThousandChats.objectRowsRead} / ${perThousandChats.objectRowsWritten}`, ""),
  figure("per 1,000 chats: queue messages / operations", `${perThousand(u.queueMessagesSent)} / ${perThousandChats.queueOperations}`, ""),
  figure("per 1,000 chats: mails", perThousandChats.mails, ""),
  figure("per 1,000 chats: runtime CPU (Worker + objects + local D1: an upper bound of Worker CPU)", perThousandChats.workerCpuMs, "ms"),
  figure(`per queue-hour, ${monitorCount} monitoring, nobody asking: object requests / busy time`, `${perQueueHourUsage.objectRequests} / ${perQueueHour(sum(idle.objectBusyMs) / 1000)} s`, ""),
  figure(`per queue-hour, ${monitorCount} monitoring, nobody asking: Worker requests / D1 rows read / written`, `${perQueueHourUsage.workerRequests} / ${perQueueHourUsage.d1RowsRead} / ${perQueueHourUsage.d1RowsWritten}`, ""),
  figure(`a month, 500 chats, 173 queue-hours (prices of ${PRICES_READ_ON}): usage / total with the $5 plan`, `${small.usageCost} / ${small.total}`, "USD"),
  figure(`a month, 50,000 chats, 730 queue-hours: usage / total with the $5 plan`, `${statewide.usageCost} / ${statewide.total}`, "USD"),
  figure("other jobs on the machine during the chats", cpu.otherProcessesPercent, "% of a core"),
];
printTable(`Cost counts: ${chats} typical chats, ${monitorCount} monitors`, figures);
writeResults("cost", { chats, monitors: monitorCount, idleSeconds, exchanges: EXCHANGES, figures, perThousandChats, perQueueHour: perQueueHourUsage, bills: { small, statewide }, raw: { chats: chatUsage, idle }, cpu });
