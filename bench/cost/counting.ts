/**
 * What Cloudflare would bill, counted from the runtime, kept out of the
 * product: bench servers started with `usage` export these subclasses of the
 * two objects and wrap the Worker's handler (bench/lib/server.mjs writes the
 * entry). They count, in this isolate:
 * - Worker invocations (HTTP requests reaching the Worker, queue batches, crons);
 * - Durable Object requests by kind (RPC calls, HTTP/WebSocket upgrades,
 *   incoming WebSocket messages, alarms) and each object's busy wall time
 *   (an event's start to its end, overlapping events counted once): the
 *   duration an object that can hibernate is billed for;
 * - D1 rows read and written, from the meta of every D1 answer (read at the
 *   binding's transport, so `raw()` queries count too);
 * - the objects' own SQLite rows read and written (the cursors' counters);
 * - queue messages sent and mails sent.
 * GET /__bench/usage answers the counts (`?reset=1` also starts them again).
 * Times come from Date.now(), which the runtime moves on I/O: an event's
 * pure CPU time is not in its wall time.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { ChatSession, RequestQueue } from "../../src/index";

interface Usage {
  workerRequests: number;
  workerQueueBatches: number;
  workerQueueMessages: number;
  workerScheduled: number;
  objectRequests: Record<string, number>;
  objectEvents: Record<string, number>;
  objectBusyMs: Record<string, number>;
  objectsTouched: Record<string, number>;
  d1Queries: number;
  d1RowsRead: number;
  d1RowsWritten: number;
  objectSqlRowsRead: number;
  objectSqlRowsWritten: number;
  queueMessagesSent: number;
  mailsSent: number;
}

const fresh = (): Usage => ({
  workerRequests: 0,
  workerQueueBatches: 0,
  workerQueueMessages: 0,
  workerScheduled: 0,
  objectRequests: {},
  objectEvents: {},
  objectBusyMs: {},
  objectsTouched: {},
  d1Queries: 0,
  d1RowsRead: 0,
  d1RowsWritten: 0,
  objectSqlRowsRead: 0,
  objectSqlRowsWritten: 0,
  queueMessagesSent: 0,
  mailsSent: 0,
});

let usage = fresh();
/** Per object: until when it is already counted busy. */
let busyUntil = new Map<string, number>();
const touched = new Set<string>();
/** SQLite cursors of the objects, read once their event is over. */
let cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
const bump = (record: Record<string, number>, key: string, by = 1) => (record[key] = (record[key] ?? 0) + by);

function settleCursors(): void {
  for (const c of cursors) {
    usage.objectSqlRowsRead += c.rowsRead;
    usage.objectSqlRowsWritten += c.rowsWritten;
  }
  cursors = [];
}

// ---- D1, queue and mail bindings ---------------------------------------------

interface D1Meta {
  rows_read?: number;
  rows_written?: number;
}

async function countD1Answer(res: Response): Promise<void> {
  try {
    const body = (await res.clone().json()) as unknown;
    const results = Array.isArray(body) ? body : [body];
    for (const r of results as { meta?: D1Meta }[]) {
      usage.d1Queries += 1;
      usage.d1RowsRead += r?.meta?.rows_read ?? 0;
      usage.d1RowsWritten += r?.meta?.rows_written ?? 0;
    }
  } catch {
    // Not a query answer.
  }
}

/** The same D1 database, its transport tapped: every answer's meta is counted. */
function countingD1(db: D1Database): D1Database {
  const inner = (db as unknown as { fetcher: Fetcher }).fetcher;
  const D1 = Object.getPrototypeOf(db).constructor as new (fetcher: Pick<Fetcher, "fetch">) => D1Database;
  return new D1({
    async fetch(input: RequestInfo | URL, init?: RequestInit) {
      const res = await inner.fetch(input as RequestInfo, init);
      await countD1Answer(res);
      return res;
    },
  });
}

const envs = new WeakMap<object, Env>();
function countingEnv(env: Env): Env {
  const known = envs.get(env);
  if (known) return known;
  const queue = env.MAIL_QUEUE;
  const wrapped: Env = {
    ...env,
    DB: countingD1(env.DB),
    MAIL_QUEUE: {
      send: (body, options) => ((usage.queueMessagesSent += 1), queue.send(body, options)),
      sendBatch: (messages, options) => ((usage.queueMessagesSent += [...messages].length), queue.sendBatch(messages, options)),
    } as Env["MAIL_QUEUE"],
    EMAIL: { send: (message: EmailMessage) => ((usage.mailsSent += 1), env.EMAIL.send(message)) } as Env["EMAIL"],
  };
  envs.set(env, wrapped);
  return wrapped;
}

// ---- the objects ---------------------------------------------------------------

/** A proxy of `target` whose methods stay bound to it; `override` replaces some members. */
function bound<T extends object>(target: T, override: Partial<Record<PropertyKey, unknown>> = {}): T {
  return new Proxy(target, {
    get(t, prop) {
      if (prop in override) return override[prop as string];
      const v = Reflect.get(t, prop, t) as unknown;
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
}

/** The object's state with its SQL cursors tapped. */
function countingCtx(ctx: DurableObjectState): DurableObjectState {
  const sql = bound(ctx.storage.sql, {
    exec: (query: string, ...bindings: unknown[]) => {
      const cursor = ctx.storage.sql.exec(query, ...bindings);
      cursors.push(cursor);
      return cursor;
    },
  });
  return bound(ctx, { storage: bound(ctx.storage, { sql }) });
}

const EVENT_KINDS: Record<string, string> = {
  fetch: "http or upgrade",
  webSocketMessage: "websocket message",
  webSocketClose: "websocket close",
  webSocketError: "websocket error",
  alarm: "alarm",
};
/** Billed as requests: RPC calls, HTTP requests (upgrades too), incoming WebSocket messages (at 20:1), alarms. Closes are not. */
const BILLED = new Set(["rpc", "http or upgrade", "websocket message", "alarm"]);

/** Which object an entry point is running for: a call from inside its own event is not a new request. */
const current = new AsyncLocalStorage<string>();

function methodNames(proto: object): string[] {
  const names = new Set<string>();
  for (let p = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const n of Object.getOwnPropertyNames(p)) {
      const d = Object.getOwnPropertyDescriptor(p, n);
      if (n !== "constructor" && typeof d?.value === "function") names.add(n);
    }
  }
  return [...names];
}

/** Wraps every method of `Counting` (a subclass of an object class) so each entry from outside is counted with its busy time. */
function countEntries(Counting: { prototype: object }, className: string): void {
  for (const name of methodNames(Object.getPrototypeOf(Counting.prototype))) {
    const original = (Object.getPrototypeOf(Counting.prototype) as Record<string, (...a: unknown[]) => unknown>)[name]!;
    Object.defineProperty(Counting.prototype, name, {
      configurable: true,
      writable: true,
      value: function (this: { ctx: DurableObjectState }, ...args: unknown[]) {
        const id = this.ctx.id.toString();
        if (current.getStore() === id) return original.apply(this, args);
        const kind = EVENT_KINDS[name] ?? "rpc";
        bump(usage.objectEvents, `${className} ${kind}`);
        if (BILLED.has(kind)) bump(usage.objectRequests, `${className} ${kind}`);
        if (!touched.has(id)) {
          touched.add(id);
          bump(usage.objectsTouched, className);
        }
        const start = Date.now();
        const done = () => {
          settleCursors();
          const end = Date.now();
          const from = Math.max(start, busyUntil.get(id) ?? 0);
          if (end > from) bump(usage.objectBusyMs, className, end - from);
          busyUntil.set(id, Math.max(end, busyUntil.get(id) ?? 0));
        };
        return current.run(id, async () => {
          try {
            return await original.apply(this, args);
          } finally {
            done();
          }
        });
      },
    });
  }
}

export class CountingChatSession extends ChatSession {
  constructor(ctx: DurableObjectState, env: Env) {
    super(countingCtx(ctx), countingEnv(env));
  }
}
countEntries(CountingChatSession, "ChatSession");

export class CountingRequestQueue extends RequestQueue {
  constructor(ctx: DurableObjectState, env: Env) {
    super(countingCtx(ctx), countingEnv(env));
  }
}
countEntries(CountingRequestQueue, "RequestQueue");

// ---- the Worker ----------------------------------------------------------------

/** The product's handler, counted, with GET /__bench/usage answering the counts. */
export function withUsageCounting<M>(handler: ExportedHandler<Env, M>): ExportedHandler<Env, M> {
  return {
    async fetch(request, env, ctx) {
      const url = new URL(request.url);
      if (url.pathname === "/__bench/usage") {
        settleCursors();
        const answer = Response.json(usage);
        if (url.searchParams.get("reset") === "1") {
          usage = fresh();
          busyUntil = new Map();
          touched.clear();
        }
        return answer;
      }
      usage.workerRequests += 1;
      return handler.fetch!(request as Parameters<NonNullable<ExportedHandler<Env, M>["fetch"]>>[0], countingEnv(env), ctx);
    },
    async queue(batch, env, ctx) {
      usage.workerQueueBatches += 1;
      usage.workerQueueMessages += batch.messages.length;
      return handler.queue!(batch, countingEnv(env), ctx);
    },
    async scheduled(controller, env, ctx) {
      usage.workerScheduled += 1;
      return handler.scheduled!(controller, countingEnv(env), ctx);
    },
  };
}
