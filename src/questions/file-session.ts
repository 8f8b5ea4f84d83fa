/**
 * Files an ended chat in D1 — the transcript, the question for the patron's
 * home library (routed by its resolution code), the history entry and the
 * transcript mail — in one batch that is safe to run twice: every write is
 * keyed by the session, so a retry changes nothing that is already there.
 */
import type { ResolutionCode } from "../shared/codes";
import type { ChatMessage } from "../shared/protocol";
import { composeTranscriptMail } from "../mail/transcript-mail";
import { enqueueMail } from "../mail/outbox";
import { ROUTING } from "./routing";

export interface EndedSession {
  sessionId: string;
  libraryId: string;
  question: string;
  patronName: string | null;
  patronEmail: string | null;
  transcriptOptOut: boolean;
  librarian: { id: string; name: string; libraryId: string } | null;
  resolution: ResolutionCode;
  descriptiveCodes: string[];
  note: string | null;
  /** 'chat' for a transcript, 'email' for a question left when chat was unavailable. */
  source: "chat" | "email";
  messages: ChatMessage[];
  createdAt: number;
  acceptedAt: number | null;
  endedAt: number;
}

export const questionIdFor = (sessionId: string) => `q-${sessionId}`;
export const transcriptMailKey = (sessionId: string) => `transcript:${sessionId}`;

interface LibraryMailSettings {
  name: string;
  time_zone: string;
  transcript_template: string | null;
  mail_sender_name: string | null;
  contact_email: string | null;
}

/** Writes the ended session to D1 and queues its mail. Idempotent. */
export async function fileEndedSession(env: Pick<Env, "DB" | "MAIL_QUEUE">, s: EndedSession): Promise<{ questionId: string; mailQueued: boolean }> {
  const library = await env.DB.prepare(
    "SELECT name, time_zone, transcript_template, mail_sender_name, contact_email FROM libraries WHERE id = ?",
  )
    .bind(s.libraryId)
    .first<LibraryMailSettings>();
  if (!library) throw new Error(`library ${s.libraryId} missing while filing ${s.sessionId}`);

  const rule = ROUTING[s.resolution];
  const questionId = questionIdFor(s.sessionId);
  const assignedTo = rule.assignToLibrarian && s.librarian ? s.librarian.id : null;
  const wantsMail = rule.mailTranscript && !!s.patronEmail && !s.transcriptOptOut && s.source === "chat";
  const statements: D1PreparedStatement[] = [
    env.DB.prepare(
      `UPDATE chat_sessions SET status = 'ended', librarian_id = ?, librarian_name = ?, answering_library_id = ?,
         resolution_code = ?, descriptive_codes = ?, end_note = ?, transcript = ?, accepted_at = ?, ended_at = ?
       WHERE id = ?`,
    ).bind(
      s.librarian?.id ?? null,
      s.librarian?.name ?? null,
      s.librarian?.libraryId ?? null,
      s.resolution,
      JSON.stringify(s.descriptiveCodes),
      s.note,
      JSON.stringify(s.messages),
      s.acceptedAt,
      s.endedAt,
      s.sessionId,
    ),
    env.DB.prepare(
      `INSERT INTO questions (id, library_id, session_id, source, status, assigned_to, hidden, exclude_from_stats,
         question, patron_name, patron_email, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(session_id) DO NOTHING`,
    ).bind(
      questionId,
      s.libraryId,
      s.sessionId,
      s.source,
      rule.status,
      assignedTo,
      rule.hidden ? 1 : 0,
      rule.excludeFromStats ? 1 : 0,
      s.question,
      s.patronName,
      s.patronEmail,
      s.createdAt,
      s.endedAt,
    ),
    env.DB.prepare(
      `INSERT INTO question_events (question_id, actor_id, action, detail, created_at)
       SELECT ?, ?, 'filed', ?, ? WHERE NOT EXISTS (SELECT 1 FROM question_events WHERE question_id = ? AND action = 'filed')`,
    ).bind(
      questionId,
      s.librarian?.id ?? null,
      JSON.stringify({ resolution: s.resolution, status: rule.status, descriptiveCodes: s.descriptiveCodes, note: s.note, source: s.source }),
      s.endedAt,
      questionId,
    ),
  ];

  if (wantsMail) {
    const mail = composeTranscriptMail({
      libraryName: library.name,
      timeZone: library.time_zone,
      template: library.transcript_template,
      patronName: s.patronName || "there",
      librarianName: s.librarian?.name ?? null,
      question: s.question,
      startedAt: s.createdAt,
      // Waiting-time and chat messages alike; system lines stay, they tell the story.
      messages: s.messages,
    });
    statements.push(
      env.DB.prepare(
        `INSERT INTO mail_outbox (event_key, library_id, question_id, to_address, from_name, reply_to, subject, text_body, html_body, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT(event_key) DO NOTHING`,
      ).bind(
        transcriptMailKey(s.sessionId),
        s.libraryId,
        questionId,
        s.patronEmail,
        library.mail_sender_name ?? library.name,
        library.contact_email,
        mail.subject,
        mail.text,
        mail.html,
        s.endedAt,
      ),
    );
  }
  await env.DB.batch(statements);
  if (wantsMail) await enqueueMail(env.MAIL_QUEUE, transcriptMailKey(s.sessionId));
  return { questionId, mailQueued: wantsMail };
}
