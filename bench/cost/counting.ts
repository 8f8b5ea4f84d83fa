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
 * - D1 rows read and written, from the meta of D1's answers (a `raw()` or
 *   `first()` read, which has none, is run once more to count it);
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

function countD1Result(result: { meta?: D1Meta }): void {
  usage.d1Queries += 1;
  usage.d1RowsRead += result.meta?.rows_read ?? 0;
  usage.d1RowsWritten += result.meta?.rows_written ?? 0;
}

const REAL = Symbol("the binding's own statement");
type Counted = D1PreparedStatement & { [REAL]: D1PreparedStatement };

/**
 * A statement whose answers are counted. `all`, `run` and `batch` carry D1's
 * meta (rows read and written). `raw` and `first` do not: a read is counted
 * by running it once more through `all` (the answer itself comes from the
 * real `raw`/`first`); a write with RETURNING counts each row it returns as
 * one read and one written.
 */
function countingStatement(stmt: D1PreparedStatement, query: string): Counted {
  const isRead = /^\s*(select|with)\b/i.test(query);
  const countOther = async <T>(answer: Promise<T>, rows: (t: T) => number): Promise<T> => {
    if (isRead) countD1Result(await stmt.all());
    const t = await answer;
    if (!isRead) {
      const n = rows(t);
      usage.d1Queries += 1;
      usage.d1RowsRead += n;
      usage.d1RowsWritten += n;
    }
    return t;
  };
  return {
    [REAL]: stmt,
    bind: (...values: unknown[]) => countingStatement(stmt.bind(...values), query),
    all: async () => {
      const r = await stmt.all();
      countD1Result(r);
      return r;
    },
    run: async () => {
      const r = await stmt.run();
      countD1Result(r);
      return r;
    },
    raw: ((options?: { columnNames?: boolean }) => countOther(stmt.raw(options as { columnNames: true }), (rows) => rows.length - (options?.columnNames ? 1 : 0))) as D1PreparedStatement["raw"],
    first: ((column?: string) => countOther(column === undefined ? stmt.first() : stmt.first(column), (row) => (row === null ? 0 : 1))) as D1PreparedStatement["first"],
  } as unknown as Counted;
}

/** The same D1 database, every answer counted. */
function countingD1(db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (query: string) => countingStatement(target.prepare(query), query);
      if (prop === "batch")
        return async (statements: Counted[]) => {
          const results = await target.batch(statements.map((s) => s[REAL] ?? s));
          for (const r of results) countD1Result(r);
          return results;
        };
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
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

/**
 * Taps the objects' SQL cursors: the runtime's SqlStorage.exec, patched once
 * on its prototype (the object base class takes only the runtime's own state
 * object, so the state itself cannot be wrapped).
 */
let sqlTapped = false;
function tapSql(sql: SqlStorage): void {
  if (sqlTapped) return;
  sqlTapped = true;
  const proto = Object.getPrototypeOf(sql) as { exec: (...args: unknown[]) => SqlStorageCursor<Record<string, SqlStorageValue>> };
  const exec = proto.exec;
  proto.exec = function (this: SqlStorage, ...args: unknown[]) {
    const cursor = exec.apply(this, args);
    cursors.push(cursor);
    return cursor;
  };
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
    tapSql(ctx.storage.sql);
    super(ctx, countingEnv(env));
  }
}
countEntries(CountingChatSession, "ChatSession");

export class CountingRequestQueue extends RequestQueue {
  constructor(ctx: DurableObjectState, env: Env) {
    tapSql(ctx.storage.sql);
    super(ctx, countingEnv(env));
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
