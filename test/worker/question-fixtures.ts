/**
 * Fixtures for the Ask a Librarian module's tests: questions filed through the
 * real filing code (fileEndedSession), a cooperative pair of libraries with a
 * partner librarian who accepts from the group queue, and a JSON caller.
 */
import { env } from "cloudflare:test";
import { fileEndedSession } from "../../src/questions/file-session";
import { groupQueueId } from "../../src/queues/queue-ids";
import type { ResolutionCode } from "../../src/shared/codes";
import type { ChatMessage } from "../../src/shared/protocol";
import type { QuestionDetail } from "../../src/shared/questions-api";
import { accept, call, createForm, createGroup, createLibrarian, createLibrary, endChat, monitorQueue, signIn, startChat, uniqueId, type TestLibrarian } from "./helpers";

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** Calls the API and reads the JSON answer. */
export async function api<T = Record<string, unknown>>(path: string, cookie: string | undefined, init: { method?: string; json?: unknown } = {}): Promise<JsonResponse<T>> {
  const res = await call(path, { method: init.method ?? (init.json !== undefined ? "POST" : "GET"), cookie, json: init.json });
  return { status: res.status, body: (await res.json()) as T };
}

export type ErrorBody = { error: { code: string; message: string; field?: string } };

export const getQuestion = (id: string, cookie: string) => api<QuestionDetail>(`/api/questions/${id}`, cookie);

export interface FiledQuestion {
  sessionId: string;
  questionId: string;
}

export interface FileOptions {
  resolution?: ResolutionCode;
  librarian?: { id: string; name: string; libraryId: string } | null;
  patronName?: string | null;
  patronEmail?: string | null;
  question?: string;
  /** Patron / librarian lines after the opening question. */
  lines?: { role: "patron" | "librarian"; body: string }[];
  createdAt?: number;
  descriptiveCodes?: string[];
  source?: "chat" | "email";
  transcriptOptOut?: boolean;
}

/** A question as the filing code writes it when a chat ends (the D1 row first, as starting a chat makes it). */
export async function fileQuestion(libraryId: string, o: FileOptions = {}): Promise<FiledQuestion> {
  const sessionId = crypto.randomUUID();
  // Ended a minute after it began, both in the past.
  const createdAt = o.createdAt ?? Date.now() - 120_000;
  const question = o.question ?? "Where can I find census records?";
  const patronName = o.patronName === undefined ? "Ada" : o.patronName;
  const librarian = o.librarian === undefined ? null : o.librarian;
  await env.DB.prepare(
    "INSERT INTO chat_sessions (id, library_id, queue_id, status, question, patron_name, patron_email, transcript_opt_out, created_at) VALUES (?, ?, ?, 'active', ?, ?, ?, ?, ?)",
  )
    .bind(sessionId, libraryId, `lib:${libraryId}`, question, patronName, o.patronEmail ?? null, o.transcriptOptOut ? 1 : 0, createdAt)
    .run();
  const messages: ChatMessage[] = [
    { seq: 1, clientId: null, author: { role: "patron", name: patronName ?? "Patron" }, kind: "text", body: question, at: createdAt, whileWaiting: true },
    ...(o.lines ?? []).map(
      (l, i): ChatMessage => ({
        seq: i + 2,
        clientId: null,
        author: { role: l.role, name: l.role === "patron" ? (patronName ?? "Patron") : (librarian?.name ?? "Librarian") },
        kind: "text",
        body: l.body,
        at: createdAt + (i + 1) * 1000,
        whileWaiting: false,
      }),
    ),
  ];
  const { questionId } = await fileEndedSession(env, {
    sessionId,
    libraryId,
    question,
    patronName,
    patronEmail: o.patronEmail ?? null,
    transcriptOptOut: o.transcriptOptOut ?? false,
    librarian,
    resolution: o.resolution ?? "followup_by_library",
    descriptiveCodes: o.descriptiveCodes ?? [],
    note: null,
    source: o.source ?? "chat",
    messages,
    createdAt,
    acceptedAt: librarian ? createdAt : null,
    endedAt: createdAt + 60_000,
  });
  return { sessionId, questionId };
}

export const asRef = (l: TestLibrarian) => ({ id: l.id, name: l.name, libraryId: l.libraryId });

/** A home library with two librarians (one an administrator), signed in. */
export async function homeLibrary(overrides: Parameters<typeof createLibrary>[0] = {}) {
  const library = await createLibrary(overrides);
  const librarian = await createLibrarian(library.id, "Lisa");
  const colleague = await createLibrarian(library.id, "Bart");
  const admin = await createLibrarian(library.id, "Marge", "library_admin");
  const [cookie, colleagueCookie, adminCookie] = await Promise.all([signIn(librarian), signIn(colleague), signIn(admin)]);
  return { library, librarian, colleague, admin, cookie, colleagueCookie, adminCookie };
}

/**
 * Two libraries in a cooperative: A (the patrons' home) feeds its form into
 * the group queue, where B's librarian monitors and accepts.
 */
export async function cooperative() {
  const home = await homeLibrary({ name: "Home Library", contactEmail: "ask@home.test" });
  const partnerLibrary = await createLibrary({ name: "Partner Library", contactEmail: "ask@partner.test" });
  const partner = await createLibrarian(partnerLibrary.id, "Pat Partner");
  const partnerCookie = await signIn(partner);
  const groupId = uniqueId("grp");
  await createGroup(groupId, "Test Cooperative", [home.library.id, partnerLibrary.id]);
  const formId = await createForm(home.library.id, { queueId: groupQueueId(groupId) });
  const monitor = await monitorQueue(groupQueueId(groupId), partnerCookie);
  return { ...home, partnerLibrary, partner, partnerCookie, groupId, formId, monitor };
}

/** A patron of the home library asks through the group form; the partner accepts and ends with `resolution`. */
export async function partnerServes(coop: Awaited<ReturnType<typeof cooperative>>, resolution: ResolutionCode, patron: Record<string, unknown> = {}): Promise<FiledQuestion> {
  const chat = await startChat(coop.formId, { name: "Ada", email: "ada@patron.test", ...patron });
  if (chat.status !== "waiting") throw new Error(`cooperative chat did not wait: ${JSON.stringify(chat)}`);
  const accepted = await accept(chat.sessionId, coop.partnerCookie);
  if (accepted.status !== 200) throw new Error(`partner accept failed: ${accepted.status} ${await accepted.text()}`);
  const ended = await endChat(chat.sessionId, coop.partnerCookie, { resolution, descriptiveCodes: ["genealogy"] });
  if (ended.status !== 200) throw new Error(`end failed: ${ended.status} ${await ended.text()}`);
  return { sessionId: chat.sessionId, questionId: `q-${chat.sessionId}` };
}

/** The question's row as stored, for "this changed nothing" comparisons. */
export async function questionRow(questionId: string): Promise<Record<string, unknown>> {
  return (await env.DB.prepare("SELECT * FROM questions WHERE id = ?").bind(questionId).first<Record<string, unknown>>())!;
}

export async function eventCount(questionId: string): Promise<number> {
  return (await env.DB.prepare("SELECT COUNT(*) AS n FROM question_events WHERE question_id = ?").bind(questionId).first<{ n: number }>())!.n;
}

/** Polls an outbox row until it reaches `status`. */
export async function mailReaches(eventKey: string, status: "sent" | "failed", timeoutMs = 8000): Promise<Record<string, string | number | null>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await env.DB.prepare("SELECT * FROM mail_outbox WHERE event_key = ?").bind(eventKey).first<Record<string, string | number | null>>();
    if (row?.status === status) return row;
    if (Date.now() > deadline) throw new Error(`mail ${eventKey} did not reach ${status}: ${JSON.stringify(row)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
