/**
 * Fixtures for the statistics tests: chats filed through the real filing code
 * (fileEndedSession) at exact instants, monitoring stretches as the queue
 * objects write them, a cooperative of libraries in two time zones with a
 * librarian of every role, and a caller of the statistics API.
 */
import { env } from "cloudflare:test";
import { fileEndedSession } from "../../src/questions/file-session";
import type { FiledResolution } from "../../src/shared/codes";
import type { ChatMessage } from "../../src/shared/protocol";
import type { StatReport, StatTable } from "../../src/shared/stats-api";
import { call, createGroup, createLibrarian, createLibrary, signIn, uniqueId, type TestLibrarian } from "./helpers";

export interface StatChat {
  libraryId: string;
  /** ISO instant the patron asked. */
  at: string;
  /** Seconds until a librarian accepted (null: nobody did). */
  waitS?: number | null;
  /** Seconds from acceptance to the end (or, unanswered, from asking to the end). */
  lengthS?: number;
  librarian?: TestLibrarian | null;
  resolution?: FiledResolution;
  codes?: string[];
  turnedAway?: boolean;
  queueIds?: string[];
  acceptedQueueId?: string | null;
  origin?: string | null;
  rating?: number | null;
  comment?: string | null;
  source?: "chat" | "email";
}

/** Files one chat exactly as the session object would when it ends; returns its session id. */
export async function fileChat(c: StatChat): Promise<string> {
  const sessionId = crypto.randomUUID();
  const createdAt = Date.parse(c.at);
  const waitS = c.waitS === undefined ? (c.librarian ? 30 : null) : c.waitS;
  const acceptedAt = waitS === null ? null : createdAt + waitS * 1000;
  const endedAt = (acceptedAt ?? createdAt) + (c.lengthS ?? 300) * 1000;
  const queueIds = c.queueIds ?? [`lib:${c.libraryId}`];
  await env.DB.prepare("INSERT INTO chat_sessions (id, library_id, queue_id, status, question, patron_name, rating, rating_comment, created_at) VALUES (?, ?, ?, 'active', 'A question', 'Ada Patron', ?, ?, ?)")
    .bind(sessionId, c.libraryId, queueIds[0], c.rating ?? null, c.comment ?? null, createdAt)
    .run();
  const messages: ChatMessage[] = [{ seq: 1, clientId: null, author: { role: "patron", name: "Ada Patron" }, kind: "text", body: "A question", at: createdAt, whileWaiting: true }];
  await fileEndedSession(env, {
    sessionId,
    libraryId: c.libraryId,
    question: "A question",
    patronName: "Ada Patron",
    patronEmail: null,
    transcriptOptOut: true,
    librarian: acceptedAt !== null && c.librarian ? { id: c.librarian.id, name: c.librarian.name, libraryId: c.librarian.libraryId } : null,
    resolution: c.resolution ?? (acceptedAt !== null ? "answered" : "lost_call"),
    descriptiveCodes: c.codes ?? [],
    note: null,
    source: c.source ?? "chat",
    messages,
    createdAt,
    acceptedAt,
    endedAt,
    facts: {
      formId: null,
      homeQueueId: queueIds[0]!,
      queueIds,
      acceptedQueueId: acceptedAt === null ? null : (c.acceptedQueueId ?? queueIds[queueIds.length - 1]!),
      patronOrigin: c.origin ?? null,
      turnedAway: c.turnedAway ?? false,
      endedAutomatically: c.resolution === "auto_ended",
      patronMessages: 1,
      librarianMessages: acceptedAt === null ? 0 : 2,
    },
  });
  return sessionId;
}

/** One monitoring stretch, as a queue object writes it when the stretch ends. */
export async function monitoringSpan(librarian: TestLibrarian, queueId: string, from: string, to: string): Promise<void> {
  await env.DB.prepare("INSERT INTO monitoring_spans (id, queue_id, librarian_id, library_id, started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?)")
    .bind(crypto.randomUUID(), queueId, librarian.id, librarian.libraryId, Date.parse(from), Date.parse(to))
    .run();
}

export interface Person {
  librarian: TestLibrarian;
  cookie: string;
}

async function person(libraryId: string, name: string, role = "librarian"): Promise<Person> {
  const librarian = await createLibrarian(libraryId, name, role);
  return { librarian, cookie: await signIn(librarian) };
}

/**
 * A cooperative of two libraries — A in Chicago, B in New York — and an
 * outsider C (UTC) in no group, with librarians of every role.
 */
export async function statsWorld() {
  const a = await createLibrary({ name: "Alpha Library", timeZone: "America/Chicago" });
  const b = await createLibrary({ name: "Beta Library", timeZone: "America/New_York" });
  const c = await createLibrary({ name: "Gamma Library", timeZone: "UTC" });
  const groupId = uniqueId("grp");
  await createGroup(groupId, "Alpha–Beta Cooperative", [a.id, b.id]);
  const [aLibrarian, aLibrarian2, aAdmin, aGroupAdmin, bLibrarian, bAdmin, cLibrarian, cAdmin, cGroupAdmin, service] = await Promise.all([
    person(a.id, "Ann"),
    person(a.id, "Abe"),
    person(a.id, "Ada Admin", "library_admin"),
    person(a.id, "Agnes Group", "group_admin"),
    person(b.id, "Bob"),
    person(b.id, "Bea Admin", "library_admin"),
    person(c.id, "Cy"),
    person(c.id, "Cat Admin", "library_admin"),
    person(c.id, "Col Group", "group_admin"),
    person(c.id, "Sam Service", "service_admin"),
  ]);
  return { a, b, c, groupId, aLibrarian, aLibrarian2, aAdmin, aGroupAdmin, bLibrarian, bAdmin, cLibrarian, cAdmin, cGroupAdmin, service };
}
export type StatsWorld = Awaited<ReturnType<typeof statsWorld>>;

/** GET a statistics route; the parsed JSON (or the text, for CSV) and the status. */
export async function statsApi<T = StatReport>(path: string, cookie: string | undefined): Promise<{ status: number; body: T; text: string; headers: Headers }> {
  const res = await call(path, { cookie });
  const text = await res.text();
  let body: T;
  try {
    body = JSON.parse(text) as T;
  } catch {
    body = undefined as T;
  }
  return { status: res.status, body, text, headers: res.headers };
}

/** A report's table by id. */
export function tableOf(report: StatReport, id: string): StatTable {
  const t = report.tables.find((x) => x.id === id);
  if (!t) throw new Error(`no table ${id} in ${report.report}: ${report.tables.map((x) => x.id).join(", ")}`);
  return t;
}

/** One row of a table as {column key: cell}. */
export function rowOf(t: StatTable, firstCell: string | number): Record<string, unknown> {
  const row = t.rows.find((r) => r[0] === firstCell);
  if (!row) throw new Error(`no row "${firstCell}" in ${t.id}: ${t.rows.map((r) => r[0]).join(", ")}`);
  return Object.fromEntries(t.columns.map((c, i) => [c.key, row[i]]));
}

/** The single row of a one-row table as {column key: cell}. */
export const onlyRow = (t: StatTable) => Object.fromEntries(t.columns.map((c, i) => [c.key, t.rows[0]![i]]));

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
