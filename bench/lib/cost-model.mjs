// Cloudflare's published Workers Paid prices, and a month's bill from counted
// usage. Prices as read on developers.cloudflare.com on 2026-12-06 (Workers,
// Durable Objects, D1, Queues pricing pages; Email Sending as announced for
// Workers Paid). Each line: what is included in the plan each month, and the
// price of each unit beyond it.
export const PRICES_READ_ON = "2026-12-06";
export const PLAN_PER_MONTH = 5;
export const PRICES = {
  workerRequests: { included: 10e6, perUnit: 0.3 / 1e6, label: "Worker requests" },
  workerCpuMs: { included: 30e6, perUnit: 0.02 / 1e6, label: "Worker CPU ms" },
  objectRequests: { included: 1e6, perUnit: 0.15 / 1e6, label: "Durable Object requests (WebSocket messages in at 20:1)" },
  objectGbSeconds: { included: 400_000, perUnit: 12.5 / 1e6, label: "Durable Object duration, GB-s" },
  objectRowsRead: { included: 25e9, perUnit: 0.001 / 1e6, label: "Durable Object SQLite rows read" },
  objectRowsWritten: { included: 50e6, perUnit: 1 / 1e6, label: "Durable Object SQLite rows written" },
  d1RowsRead: { included: 25e9, perUnit: 0.001 / 1e6, label: "D1 rows read" },
  d1RowsWritten: { included: 50e6, perUnit: 1 / 1e6, label: "D1 rows written" },
  queueOperations: { included: 1e6, perUnit: 0.4 / 1e6, label: "Queue operations (3 a message)" },
  mails: { included: 3000, perUnit: 0.35 / 1000, label: "Mails sent" },
};

/**
 * A month's usage and bill: `perThousandChats` and `perQueueHour` are
 * counted usage (keys of PRICES); `chats` a month's chats, `queueHours` the
 * hours a month some queue is monitored. Storage is left out (a chat's rows
 * are a few kilobytes; both databases include 5 GB).
 */
export function monthlyBill({ perThousandChats, perQueueHour, chats, queueHours }) {
  const lines = Object.entries(PRICES).map(([key, price]) => {
    const used = ((perThousandChats[key] ?? 0) * chats) / 1000 + (perQueueHour[key] ?? 0) * queueHours;
    const billed = Math.max(0, used - price.included);
    return { key, label: price.label, used: Math.round(used), included: price.included, cost: Math.round(billed * price.perUnit * 100) / 100 };
  });
  const usage = lines.reduce((a, l) => a + l.cost, 0);
  return { chats, queueHours, lines, usageCost: Math.round(usage * 100) / 100, total: Math.round((PLAN_PER_MONTH + usage) * 100) / 100 };
}
