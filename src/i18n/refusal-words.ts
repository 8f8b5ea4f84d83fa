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

/** What each code says when no field tells more. */
const BY_CODE: Partial<Record<string, PatronKey>> = {
  // The page's own: a frame it could not send because the socket is down.
  offline: "problem.offline",
  rate_limited: "problem.rateLimited",
  session_ended: "chat.ended",
  not_active: "problem.notNow",
  too_large: "problem.tooLong",
  unauthorized: "problem.chatLink",
  not_found: "problem.chatLink",
};

/** The catalog key that words a refusal for a patron. */
export function refusalKey({ code = "", field }: RefusalFacts): PatronKey {
  // A form that is gone (404, or 410 when turned off) names `formId`.
  if (field === "formId") return "problem.formGone";
  if (code === "validation_failed" && field === "question") return "problem.question";
  if (code === "validation_failed" && field === "email") return "problem.email";
  return BY_CODE[code] ?? "problem.failed";
}

/**
 * The key for a problem at one of a form's inputs (`kind` is the field's,
 * or "question"), from what was typed there: missing, not one of the
 * options, not an e-mail address, or otherwise not right. Worded with the
 * field's `label`. (Over-long answers are the hosted form's alone: the
 * Qwidget's inputs stop at their limits.)
 */
export function answerProblemKey(kind: string, value: string | undefined, path?: string): PatronKey {
  if (kind === "question") return "problem.question";
  if (!value) return "problem.required";
  // A name the service refuses although it was given is a role (src/shared/api.ts: "Librarian" is nobody's name).
  if (path === "name") return "problem.notARole";
  return kind === "select" ? "problem.chooseOption" : kind === "email" ? "problem.email" : "problem.check";
}
