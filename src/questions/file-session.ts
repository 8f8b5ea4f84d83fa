/**
 * Files an ended chat in D1 — the transcript, the question for the patron's
 * home library (routed by its resolution code), the history entry and the
 * transcript mail, and its statistics (src/stats/record.ts) — in one batch that
 * is safe to run twice: every write is keyed by the session, so a retry changes
 * nothing that is already there.
 */
import { and, eq, notExists } from "drizzle-orm";
import { database } from "../db/client";
import { insertIf } from "../db/guarded-writes";
import { chatSessions, libraries, mailOutbox, questionEvents, questions } from "../db/schema";
import { composeTranscriptMail } from "../mail/transcript-mail";
import { enqueueMail } from "../mail/outbox";
import { statisticsForFiling } from "../stats/record";
import type { EndedSession } from "./ended-session";
import { ratingLinkForMail } from "../ratings/links";
import { withFileLinks } from "../files/mail-links";
import { ROUTING } from "./routing";

export type { EndedSession } from "./ended-session";

export const questionIdFor = (sessionId: string) => `q-${sessionId}`;
export const transcriptMailKey = (sessionId: string) => `transcript:${sessionId}`;

/** Writes the ended session to D1 and queues its mail. Idempotent. */
export async function fileEndedSession(env: Pick<Env, "DB" | "MAIL_QUEUE" | "PUBLIC_ORIGIN" | "FILE_LINK_SECRET">, s: EndedSession): Promise<{ questionId: string; mailQueued: boolean }> {
  const db = database(env.DB);
  const library = await db
    .select({
      name: libraries.name,
      timeZone: libraries.timeZone,
      transcriptTemplate: libraries.transcriptTemplate,
      mailSenderName: libraries.mailSenderName,
      contactEmail: libraries.contactEmail,
      retentionDays: libraries.retentionDays,
    })
    .from(libraries)
    .where(eq(libraries.id, s.libraryId))
    .get();
  if (!library) throw new Error(`library ${s.libraryId} missing while filing ${s.sessionId}`);
  // The patron's language, as the chat was started in it: the mail is written in it.
  const row = await db.select({ language: chatSessions.language }).from(chatSessions).where(eq(chatSessions.id, s.sessionId)).get();

  const rule = ROUTING[s.resolution];
  const questionId = questionIdFor(s.sessionId);
  const assignedTo = rule.assignToLibrarian && s.librarian ? s.librarian.id : null;
  const wantsMail = rule.mailTranscript && !!s.patronEmail && !s.transcriptOptOut && s.source === "chat";
  // The mail's one-use rating link, stored in the same batch (none when the form asks for no rating).
  const rating = wantsMail ? await ratingLinkForMail(env, s) : null;
  const mail = wantsMail
    ? composeTranscriptMail({
        libraryName: library.name,
        timeZone: library.timeZone,
        template: library.transcriptTemplate,
        patronName: s.patronName || "there",
        librarianName: s.librarian?.name ?? null,
        question: s.question,
        startedAt: s.createdAt,
        // Waiting-time and chat messages alike; system lines stay, they tell the story. Files by signed link.
        messages: await withFileLinks(env, { sessionId: s.sessionId, createdAt: s.createdAt, retentionDays: library.retentionDays }, s.messages, s.endedAt),
        ratingUrl: rating?.url,
        language: row?.language,
      })
    : null;
  const statistics = await statisticsForFiling(env.DB, s);

  await db.batch([
    db
      .update(chatSessions)
      .set({
        status: "ended",
        librarianId: s.librarian?.id ?? null,
        librarianName: s.librarian?.name ?? null,
        answeringLibraryId: s.librarian?.libraryId ?? null,
        resolutionCode: s.resolution,
        descriptiveCodes: s.descriptiveCodes,
        endNote: s.note,
        transcript: s.messages,
        acceptedAt: s.acceptedAt,
        endedAt: s.endedAt,
        // Filed: a retry the object mirrored here (the service health page lists those) is over.
        filingAttempts: null,
        filingFailedAt: null,
      })
      .where(eq(chatSessions.id, s.sessionId)),
    db
      .insert(questions)
      .values({
        id: questionId,
        libraryId: s.libraryId,
        sessionId: s.sessionId,
        source: s.source,
        status: rule.status,
        assignedTo,
        hidden: rule.hidden,
        excludeFromStats: rule.excludeFromStats,
        question: s.question,
        patronName: s.patronName,
        patronEmail: s.patronEmail,
        createdAt: s.createdAt,
        updatedAt: s.endedAt,
      })
      .onConflictDoNothing({ target: questions.sessionId }),
    // One 'filed' row per question, however often the session is filed.
    insertIf(
      db,
      questionEvents,
      {
        questionId,
        actorId: s.librarian?.id ?? null,
        action: "filed",
        detail: { resolution: s.resolution, status: rule.status, descriptiveCodes: s.descriptiveCodes, note: s.note, source: s.source },
        createdAt: s.endedAt,
      },
      notExists(
        db
          .select({ id: questionEvents.id })
          .from(questionEvents)
          .where(and(eq(questionEvents.questionId, questionId), eq(questionEvents.action, "filed"))),
      ),
    ),
    ...(mail
      ? [
          db
            .insert(mailOutbox)
            .values({
              eventKey: transcriptMailKey(s.sessionId),
              libraryId: s.libraryId,
              questionId,
              toAddress: s.patronEmail!,
              fromName: library.mailSenderName ?? library.name,
              replyTo: library.contactEmail,
              subject: mail.subject,
              textBody: mail.text,
              htmlBody: mail.html,
              status: "pending",
              createdAt: s.endedAt,
            })
            .onConflictDoNothing({ target: mailOutbox.eventKey }),
        ]
      : []),
    ...statistics.statements,
    ...(rating ? [rating.statement] : []),
  ]);
  await statistics.settle();
  if (wantsMail) await enqueueMail(env.MAIL_QUEUE, transcriptMailKey(s.sessionId));
  return { questionId, mailQueued: wantsMail };
}
