// A Jepsen-style checker for chat sessions: it records what every client was
// told (acknowledgements: client id → sequence number) and what it showed
// (its message list after every change), then compares both with what the
// server stored. Violations:
// - lost: an acknowledged message missing from the stored log, or stored under
//   another sequence number or body;
// - stored twice: one client id stored under two sequence numbers;
// - duplicate shown / reordered: a client's list ever held a sequence number
//   twice, or a new message appeared before one already shown (the list must
//   only grow at its end, in sequence order);
// - ack changed: a retried send acknowledged with a different sequence number;
// - not shown: at the end, a client's list differs from the stored log;
// - never stored: a message the client sent was still unacknowledged at the end.
// Resume: for each reconnect, the time from opening the new socket to having
// shown everything the server had (its welcome's lastSeq) — or, for a socket
// opened while the server was restarting, from the moment the server accepted it.
import { summarize } from "./stats.mjs";

export class SessionChecker {
  /** `serverDown` lists [from, to] performance.now() windows in which the server was restarting (shared, filled in by the run). */
  constructor(sessionId, serverDown = []) {
    this.serverDown = serverDown;
    this.sessionId = sessionId;
    /** clientId → { seq, by } from ack frames. */
    this.acks = new Map();
    /** clientId → { body, by } for every message a client of this session sent. */
    this.sent = new Map();
    this.clients = [];
    this.violations = [];
  }

  /** Registers a client (patron or librarian connection) and returns its recorder. */
  client(name) {
    const c = { name, shown: [], changes: 0, resumes: [], sockets: 0, lastClosedAt: null, outages: [], pendingResume: null, connection: null };
    this.clients.push(c);
    return c;
  }

  /** Called with the client's message list after every change it reports. */
  onShown(c, messages) {
    if (messages === c.shown) return;
    c.changes++;
    const prev = c.shown;
    for (let i = 0; i < prev.length; i++) {
      if (messages[i]?.seq !== prev[i].seq) {
        this.violations.push({ kind: "reordered", client: c.name, detail: `position ${i} was seq ${prev[i].seq}, now ${messages[i]?.seq}` });
        break;
      }
    }
    for (let i = 1; i < messages.length; i++) {
      if (messages[i].seq === messages[i - 1].seq) this.violations.push({ kind: "duplicate shown", client: c.name, detail: `seq ${messages[i].seq}` });
      else if (messages[i].seq < messages[i - 1].seq) this.violations.push({ kind: "reordered", client: c.name, detail: `seq ${messages[i].seq} after ${messages[i - 1].seq}` });
    }
    c.shown = messages;
  }

  /** Called with every frame a client's socket received, before the client handles it. */
  onFrame(c, ws, frame, at) {
    if (frame.type === "ack") {
      const known = this.acks.get(frame.clientId);
      if (known && known.seq !== frame.seq) this.violations.push({ kind: "ack changed", client: c.name, detail: `${frame.clientId}: ${known.seq} then ${frame.seq}` });
      if (!known) this.acks.set(frame.clientId, { seq: frame.seq, by: c.name });
    } else if (frame.type === "welcome") {
      const shownUpTo = c.shown.length ? c.shown[c.shown.length - 1].seq : 0;
      const reconnect = c.sockets > 1;
      if (shownUpTo >= frame.lastSeq) this.resumed(c, ws, at, reconnect);
      else c.pendingResume = { ws, until: frame.lastSeq, reconnect };
    } else if (frame.type === "message" && c.pendingResume?.ws === ws && frame.message.seq >= c.pendingResume.until) {
      this.resumed(c, ws, at, c.pendingResume.reconnect);
    }
  }

  resumed(c, ws, at, reconnect) {
    c.pendingResume = null;
    if (!reconnect) return;
    // A socket opened while the server was restarting waits for it: count from when the server accepted it.
    const afterRestart = this.serverDown.some(([from, to]) => ws.createdAt >= from && ws.createdAt <= to);
    c.resumes.push({ ms: at - (afterRestart ? ws.openedAt : ws.createdAt), afterRestart });
    if (c.lastClosedAt !== null) c.outages.push(at - c.lastClosedAt);
    c.lastClosedAt = null;
  }

  onSocketOpened(c, ws) {
    c.sockets++;
    // An outage runs from the first drop until the client has caught up again.
    ws.on("close", () => {
      c.lastClosedAt ??= performance.now();
    });
  }

  /** Compares everything recorded with the stored log `stored` (ChatMessage[] in seq order). */
  verify(stored) {
    const v = this.violations;
    stored.forEach((m, i) => {
      if (m.seq !== i + 1) v.push({ kind: "stored log has a gap", detail: `position ${i} holds seq ${m.seq}` });
    });
    const bySeq = new Map(stored.map((m) => [m.seq, m]));
    const byClientId = new Map();
    for (const m of stored) {
      if (!m.clientId) continue;
      if (byClientId.has(m.clientId)) v.push({ kind: "stored twice", detail: `${m.clientId} at seq ${byClientId.get(m.clientId).seq} and ${m.seq}` });
      else byClientId.set(m.clientId, m);
    }
    for (const [clientId, ack] of this.acks) {
      const m = bySeq.get(ack.seq);
      const sent = this.sent.get(clientId);
      if (!m || m.clientId !== clientId || (sent && m.body !== sent.body)) v.push({ kind: "lost", client: ack.by, detail: `${clientId} acknowledged as seq ${ack.seq}, stored ${m ? `${m.clientId}` : "nothing"} there` });
    }
    for (const [clientId, s] of this.sent) {
      if (!byClientId.has(clientId)) v.push({ kind: "never stored", client: s.by, detail: clientId });
    }
    for (const c of this.clients) {
      const shown = c.shown.map((m) => `${m.seq}:${m.body}`).join("\n");
      const want = stored.map((m) => `${m.seq}:${m.body}`).join("\n");
      if (shown !== want) v.push({ kind: "not shown", client: c.name, detail: `shows ${c.shown.length} of ${stored.length} (last ${c.shown.at(-1)?.seq})` });
    }
    return v;
  }
}

/** Sums up many sessions' checkers. */
export function summarizeCheckers(checkers) {
  const counts = {};
  const samples = [];
  let acks = 0;
  let sent = 0;
  const resumes = [];
  const outages = [];
  for (const ch of checkers) {
    acks += ch.acks.size;
    sent += ch.sent.size;
    for (const c of ch.clients) {
      resumes.push(...c.resumes);
      outages.push(...c.outages);
    }
    for (const x of ch.violations) {
      counts[x.kind] = (counts[x.kind] ?? 0) + 1;
      if (samples.length < 10) samples.push({ session: ch.sessionId, ...x });
    }
  }
  return {
    sessions: checkers.length,
    messagesSent: sent,
    acknowledgements: acks,
    violations: counts,
    violationCount: Object.values(counts).reduce((a, b) => a + b, 0),
    violationSamples: samples,
    /** Every reconnect: new socket (or server back up) → caught up. */
    resumeMs: summarize(resumes.map((r) => r.ms)),
    resumeAfterSocketCutMs: summarize(resumes.filter((r) => !r.afterRestart).map((r) => r.ms)),
    resumeAfterServerRestartMs: summarize(resumes.filter((r) => r.afterRestart).map((r) => r.ms)),
    outageMs: summarize(outages),
  };
}
