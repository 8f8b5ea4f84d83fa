/**
 * Runs generated requests and frames against a target — the Worker inside
 * workerd (test/worker/input-properties*.test.ts) or a bench server (`npm run
 * bench:hostile -- --properties=N`) — and judges every answer: a clear
 * refusal or a documented success, never a 5xx or a crash, and after a
 * refusal every stored row exactly as it was. The target says how to send,
 * how to read what is stored, and which values exist; the cases come from the
 * routes' and frames' own schemas. Seeded: the same seed draws the same cases.
 */
import fc from "fast-check";
import { framesOfKind, framesOfNoKind, frameKinds, isServerFrame, type SocketKind } from "./frame-cases";
import { answerProblem, closeProblem, frameProblem, refused } from "./judge";
import { requestCases, type Credential, type Operation, type RequestCase } from "./request-cases";
import { describeChanges, diffState, type Snapshot } from "./state-diff";

/** One judged case. */
export interface Check {
  name: string;
  problem: string | null;
}

/** A seed per route or frame type, from the run's seed: adding a route leaves every other one's cases alone. */
export function seedFor(seed: number, name: string): number {
  let h = seed | 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) | 0;
  return h;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const preview = (value: string | Uint8Array | undefined, n = 120): string =>
  value === undefined ? "" : typeof value === "string" ? JSON.stringify(value.length > n ? `${value.slice(0, n)}…(${value.length})` : value) : `<${value.byteLength} bytes>`;

// ---- HTTP --------------------------------------------------------------------------

export interface HttpTarget {
  /** Sends a request to the app; `url` is the path and query. */
  send(request: { method: string; url: string; headers: Record<string, string>; body?: string | Uint8Array }): Promise<Response>;
  /** Asks for a WebSocket upgrade and answers what came back (a socket that opens is closed at once). */
  upgrade(url: string, headers: Record<string, string>): Promise<{ status: number; contentType: string; text: string }>;
  /** The headers that carry `credential` on a request to `url` (a patron's token is that of the chat in the path). */
  credentialHeaders(credential: Credential, url: string): Record<string, string>;
  /** Every stored row a refusal must leave alone. */
  snapshot(): Promise<Snapshot>;
  /** After an accepted request: renew a credential it spent (a sign-out), let writes it deferred land. */
  afterAccepted(request: RequestCase): Promise<void>;
  /** Values that exist for a parameter or field of the route at `path`. */
  fixtures(path: string, name: string): readonly unknown[];
}

/** Describes a request case for a failure line. */
export function describeRequest(c: RequestCase): string {
  return `${c.method} ${c.url.length > 200 ? `${c.url.slice(0, 200)}…` : c.url} as ${c.credential}${c.upgrade ? " (upgrade)" : ""}${c.contentType ? ` [${c.contentType}]` : ""} ${preview(c.body)}`;
}

/**
 * `runs` generated requests to one route, each judged; a refused one must
 * leave every stored row as it was.
 */
export async function checkOperation(op: Operation, target: HttpTarget, { runs, seed, looseFields }: { runs: number; seed: number; looseFields: readonly string[] }): Promise<Check[]> {
  const cases = fc.sample(
    requestCases(op, (name) => target.fixtures(op.path, name), looseFields),
    { numRuns: runs, seed: seedFor(seed, `${op.method} ${op.path}`) },
  );
  const checks: Check[] = [];
  let before = await target.snapshot();
  for (const c of cases) {
    const headers: Record<string, string> = { ...target.credentialHeaders(c.credential, c.url) };
    if (c.contentType) headers["Content-Type"] = c.contentType;
    let problem: string | null;
    let status: number;
    try {
      if (c.upgrade) {
        const answer = await target.upgrade(c.url, headers);
        status = answer.status;
        problem = answerProblem(op, c, answer);
      } else {
        const res = await target.send({ method: c.method, url: c.url, headers, body: c.body });
        const answer = { status: res.status, contentType: res.headers.get("content-type") ?? "", text: await res.text() };
        status = answer.status;
        problem = answerProblem(op, c, answer);
      }
    } catch (error) {
      status = 0;
      problem = `no answer: ${String(error).slice(0, 200)}`;
    }
    if (status > 0 && refused(status)) {
      const after = await target.snapshot();
      const changes = diffState(before, after, { refusal: true });
      if (changes.length > 0) problem = `${problem ? `${problem}; ` : ""}refused with ${status} but stored something: ${describeChanges(changes)}`;
      before = after;
    } else {
      await target.afterAccepted(c);
      before = await target.snapshot();
    }
    checks.push({ name: describeRequest(c), problem });
  }
  return checks;
}

// ---- frames ------------------------------------------------------------------------

/** An open socket, as the target's WebSocket client holds it. */
export interface FrameChannel {
  send(frame: string | Uint8Array): void;
  /** Every frame received so far, parsed, in order. */
  readonly frames: unknown[];
  /** The close code once the socket closed, else null. */
  closeCode(): number | null;
}

export interface FrameTarget {
  /** A socket in the state the frames are sent in (e.g. a patron past hello): the open one, or a new one when it closed or its chat is over. */
  channel(): Promise<FrameChannel>;
  /** Every stored row a refused frame must leave alone. */
  snapshot(): Promise<Snapshot>;
  /** After an accepted frame: let what it set off settle. */
  afterAccepted(): Promise<void>;
  /** Values that exist for a field of this name. */
  fixtures(name: string): readonly unknown[];
}

/**
 * A binary frame, sent after each generated one: every socket refuses it
 * before anything else ("Binary frames are not accepted"), and the object
 * answers frames in order, so its refusal marks the end of the answer to the
 * frame before it.
 */
const PROBE = new Uint8Array([0x70]);
const isProbeAnswer = (f: unknown) => {
  const e = f as { type?: string; code?: string; message?: string; field?: string };
  return e?.type === "error" && e.code === "bad_frame" && e.field === undefined && /binary/i.test(e.message ?? "");
};

/** Waits until `done()` or `timeoutMs`; answers whether it was done. */
async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await sleep(5);
  }
  return true;
}

/** Sends one frame and judges everything that came back until the probe's answer (or a close). */
async function sendFrame(channel: FrameChannel, frame: string, isServer: (f: unknown) => boolean): Promise<{ problem: string | null; refusedWith: string | null }> {
  const from = channel.frames.length;
  try {
    channel.send(frame);
    channel.send(PROBE);
  } catch (error) {
    if (channel.closeCode() === null) return { problem: `could not send: ${String(error)}`, refusedWith: null };
  }
  const answered = await until(() => channel.closeCode() !== null || channel.frames.slice(from).some(isProbeAnswer), 5000);
  // Answers that wait on something (a token check) may come after the probe's: let the socket go quiet.
  for (let seen = -1; seen !== channel.frames.length; ) {
    seen = channel.frames.length;
    await sleep(30);
  }
  const received = channel.frames.slice(from);
  const problems = received.filter((f) => !isProbeAnswer(f)).map((f) => frameProblem(f, isServer)).filter((p): p is string => p !== null);
  const code = channel.closeCode();
  if (code !== null) {
    const closing = closeProblem(code);
    if (closing) problems.push(closing);
  } else if (!answered) problems.push("no answer within 5 s (the object may have crashed)");
  const errors = received.filter((f) => !isProbeAnswer(f) && (f as { type?: string }).type === "error") as { code: string }[];
  const refusedWith = errors.length > 0 ? errors.map((e) => e.code).join(",") : code === 1008 || code === 1009 ? `close ${code}` : null;
  return { problem: problems.length > 0 ? problems.join("; ") : null, refusedWith };
}

/**
 * `runs` generated frames of each client frame type of `socket` (and as many
 * of no type at all), sent on the target's socket; each answer judged, and a
 * refused frame must leave every stored row as it was.
 */
export async function checkFrames(socket: SocketKind, target: FrameTarget, { runs, seed, frameBytes, label = socket }: { runs: number; seed: number; frameBytes: number; label?: string }): Promise<Check[]> {
  const isServer = isServerFrame(socket);
  // Drawn case by case, once the socket (and the chat whose token and ids are the fixtures) is there.
  const kinds = [...frameKinds(socket).map((k) => ({ type: k.type, frames: () => framesOfKind(k, target.fixtures) })), { type: "(no type)", frames: () => framesOfNoKind(frameBytes) }];
  const checks: Check[] = [];
  for (const kind of kinds) {
    for (let i = 0; i < runs; i++) {
      const channel = await target.channel();
      const [frame] = fc.sample(kind.frames(), { numRuns: 1, seed: seedFor(seed, `${label} ${kind.type} ${i}`) }) as [string];
      const before = await target.snapshot();
      const { problem, refusedWith } = await sendFrame(channel, frame, isServer);
      let judged = problem;
      if (refusedWith) {
        const changes = diffState(before, await target.snapshot(), { refusal: true });
        if (changes.length > 0) judged = `${judged ? `${judged}; ` : ""}refused (${refusedWith}) but stored something: ${describeChanges(changes)}`;
      } else {
        await target.afterAccepted();
      }
      checks.push({ name: `${label} ${kind.type}: ${preview(frame, 160)}`, problem: judged });
    }
  }
  return checks;
}
