/**
 * Starting a chat once a request has passed every check: the D1 row (what the
 * patron gave, an IP kept only as the library allows), then the session object,
 * which offers the request along its route (the library's queue, then its
 * groups' queues) and says whether anybody can take it.
 */
import { digestToken, newToken } from "../auth/tokens";
import { database } from "../db/client";
import { chatSessions } from "../db/schema";
import { chatSession } from "../objects";
import { planRoute } from "../queues/plan-route";
import type { SessionStatus } from "../shared/protocol";
import { truncateIp } from "../shared/privacy";
import type { ChatRequest } from "./chat-request";
import type { FormWithLibrary } from "./forms";
import type { Language } from "../i18n/languages";

export interface StartedSession {
  sessionId: string;
  /** The patron's secret for this chat; only its digest is stored. */
  token: string;
  status: SessionStatus;
}

export interface RequestOrigin {
  ip: string;
  userAgent: string | null;
  referrer: string | null;
}

/** Starts the chat; `language` is the one the patron was served in, kept for the chat's mails. */
export async function startChatSession(env: Env, { form, library }: FormWithLibrary, request: ChatRequest, from: RequestOrigin, language: Language): Promise<StartedSession> {
  const sessionId = crypto.randomUUID();
  const token = newToken();
  const tokenHash = await digestToken(token);
  const db = database(env.DB);
  // The D1 row and the route are independent: fetch both in one round trip.
  const [, route] = await Promise.all([
    db.insert(chatSessions).values({
      id: sessionId,
      libraryId: library.id,
      formId: form.id,
      queueId: form.queueId,
      status: "waiting",
      question: request.question,
      patronName: request.name ?? null,
      patronEmail: request.email ?? null,
      patronDetails: request.fields,
      transcriptOptOut: request.noTranscript,
      patronIp: library.ipMode === "none" ? null : truncateIp(from.ip),
      userAgent: from.userAgent?.slice(0, 300) ?? null,
      referrer: request.pageUrl ?? from.referrer?.slice(0, 2000) ?? null,
      patronBrowserId: request.browserId ?? null,
      language,
      createdAt: Date.now(),
    }),
    planRoute(db, library.id, form.queueId),
  ]);
  const { status } = await chatSession(env, sessionId).start({
    sessionId,
    tokenHash,
    libraryId: library.id,
    libraryName: library.name,
    formId: form.id,
    formTitle: form.title,
    queueId: form.queueId,
    question: request.question,
    patronName: request.name ?? null,
    patronEmail: request.email ?? null,
    transcriptOptOut: request.noTranscript,
    waitLimitSeconds: library.waitLimitSeconds,
    idleEndMinutes: library.idleEndMinutes,
    // The viewport, when the form chose chat with viewport.
    chatMethod: form.chatMethod === "viewport" ? "viewport" : "chat",
    filesAllowed: library.filesAllowed,
    // Cooperative routing: the home queue first, then the library's groups in order.
    route,
  });
  return { sessionId, token, status };
}
