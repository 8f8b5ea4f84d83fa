/**
 * What a refusal from the service says to a patron: the catalog key for its
 * stable error code and field (ERROR_CODES, src/shared/protocol.ts), so the
 * patron reads it in their language. The server's own sentence is English,
 * for API clients, and is never shown to a patron. A code or field not named
 * here gets the general "something went wrong", never an empty line.
 */
import type en from "./catalogs/en.json";

export type PatronKey = keyof typeof en;

/** The stable parts of a JSON error `{ error: { code, message, field? } }` (or a socket's error frame). */
export interface RefusalFacts {
  code?: string;
  field?: string;
}

/** The catalog key that words a refusal for a patron. */
export function refusalKey({ code, field }: RefusalFacts): PatronKey {
  switch (code) {
    // The page's own: a frame it could not send because the socket is down.
    case "offline":
      return "problem.offline";
    case "rate_limited":
      return "problem.rateLimited";
    case "session_ended":
      return "chat.ended";
    case "not_active":
      return "problem.notNow";
    case "too_large":
      return "problem.tooLong";
    case "unauthorized":
    case "not_found":
      // A form that is gone (404, or 410 when turned off) names `formId`; anything else is the chat itself.
      return field === "formId" ? "problem.formGone" : "problem.chatGone";
    case "validation_failed":
      if (field === "question") return "problem.question";
      if (field === "email") return "problem.email";
  }
  return "problem.failed";
}

/**
 * The key for a problem at one of a form's inputs (`kind` is the field's,
 * or "question"), from what was typed there: missing, not one of the
 * options, not an e-mail address, or otherwise not right. Worded with the
 * field's `label`.
 */
export function answerProblemKey(kind: string, value: string | undefined): PatronKey {
  if (kind === "question") return "problem.question";
  return !value ? "problem.required" : kind === "select" ? "problem.chooseOption" : kind === "email" ? "problem.email" : "problem.check";
}
