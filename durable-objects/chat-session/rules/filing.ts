/**
 * Filing's bookkeeping: an ended chat is filed once; a failed filing is
 * tried again by the alarm with backoff until it succeeds.
 */
import type { EndedSession } from "../../../src/questions/file-session";
import type { ChatMessage } from "../../../src/shared/protocol";
import type { SessionState } from "../session-state";
import { fileRetryDelayMs } from "./timers";
import { decide, type Decision } from "./decision";

/** Whether the chat is ended and not yet filed. */
export const needsFiling = (s: SessionState): boolean => s.status === "ended" && !s.filed && !!s.resolution;

/** What filing writes to D1, from the state and the whole message log. */
export function endedSessionOf(s: SessionState, messages: ChatMessage[], now: number): EndedSession {
  return {
    sessionId: s.sessionId,
    libraryId: s.libraryId,
    question: s.question,
    patronName: s.patronName,
    patronEmail: s.patronEmail,
    transcriptOptOut: s.transcriptOptOut,
    librarian: s.librarian,
    resolution: s.resolution!,
    descriptiveCodes: s.descriptiveCodes,
    note: s.note,
    source: s.source,
    messages,
    createdAt: s.createdAt,
    acceptedAt: s.acceptedAt,
    endedAt: s.endedAt ?? now,
    facts: {
      formId: s.formId,
      homeQueueId: s.queueIds[0] ?? "",
      queueIds: s.queueIds,
      acceptedQueueId: s.acceptedQueueId ?? null,
      patronOrigin: s.patronOrigin ?? null,
      turnedAway: s.abandonAt !== null,
      endedAutomatically: s.resolution === "auto_ended",
      patronMessages: messages.filter((m) => m.author.role === "patron").length,
      librarianMessages: messages.filter((m) => m.author.role === "librarian").length,
    },
  };
}

export function filed(s: SessionState): Decision {
  return decide({ ...s, filed: true, fileRetryAt: null });
}

export function filingFailed(s: SessionState, now: number): Decision {
  const attempts = s.fileAttempts + 1;
  return decide({ ...s, fileAttempts: attempts, fileRetryAt: now + fileRetryDelayMs(attempts) });
}
