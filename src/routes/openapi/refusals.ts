/** Refusals many routes share, each worded once (a route lists its own in the order it checks them). */
import type { ErrorCode } from "../../shared/protocol";
import type { Refusal } from "./describe";

export const refusal = (status: number, code: ErrorCode, when: string, field?: string): Refusal => (field ? { status, code, field, when } : { status, code, when });

export const NOT_SIGNED_IN = refusal(401, "unauthorized", "Not signed in (no cookie, or its sign-in session expired, was revoked or the account disabled).");
export const BAD_BODY = refusal(400, "validation_failed", "The body breaks the schema; the first problem is reported.", "the path of the input at fault");
export const BAD_QUERY = refusal(400, "validation_failed", "A query parameter breaks the schema; the first problem is reported.", "the parameter's name");
export const OTHER_SITE = refusal(403, "forbidden", "The `Origin` header names another site (changes ride on the cookie, so only Refdesk's own pages may make them).");
export const EMBED_REFUSED = refusal(
  403,
  "forbidden",
  "Sent from a site (`Origin`) the library has not allowed to embed its chat. The answer still carries `Access-Control-Allow-Origin`, so the site's developer can read why.",
  "origin",
);
export const NOT_UPGRADE = refusal(426, "bad_frame", "The request is not a WebSocket upgrade.");

export const SESSION_UNKNOWN = refusal(404, "not_found", "No such chat session (also for an id that is not a session id).");
export const SESSION_OTHER_LIBRARY = refusal(403, "forbidden", "The chat is another library's and this librarian is not serving it.");
export const NOT_SERVING = refusal(403, "forbidden", "This librarian is not serving the chat.");
export const NO_BEARER = refusal(401, "unauthorized", "No `Authorization: Bearer <token>` header.");
export const BAD_TOKEN = refusal(401, "unauthorized", "The token is not this chat's.");

export const QUESTION_UNKNOWN = refusal(404, "not_found", "No such question — also for one this librarian may not see (answered exactly alike, and the refusal is logged).");
export const QUESTION_HOME_ONLY = refusal(403, "forbidden", "A cooperative librarian (not of the question's library) asks for what only the home library may do.");
export const QUESTION_CHANGED = refusal(409, "invalid_transition", "The question changed meanwhile (another librarian acted first); nothing was changed.");

export const NOT_LIBRARY_ADMIN = refusal(403, "forbidden", "Not a library administrator.");
export const NOT_ADMIN_OF_LIBRARY = refusal(403, "forbidden", "The actor does not administer this library (see Who).");
export const NOT_ADMIN_OF_GROUP = refusal(403, "forbidden", "The actor does not administer this group.");
export const LIBRARY_UNKNOWN = refusal(404, "not_found", "No such library.");
export const GROUP_UNKNOWN = refusal(404, "not_found", "No such group.");
export const FORM_UNKNOWN = refusal(404, "not_found", "No such form.");
export const ACCOUNT_UNKNOWN = refusal(404, "not_found", "No such account in this library.");
export const NOT_MANAGEABLE = refusal(403, "forbidden", "The account is the actor's own, or its role is above the actor's.", "librarianId");
export const NOT_FORM_ADMIN = refusal(403, "forbidden", "The actor administers neither the form's library nor its group.");

export const COOP_ID_MALFORMED = (what: string) => refusal(404, "not_found", `The ${what} id in the path is not a valid id.`);
export const NOT_COOP_LIBRARY_ADMIN = refusal(403, "forbidden", "Not a library_admin of this library nor a service_admin.");
export const NOT_GROUP_MEMBER = refusal(403, "forbidden", "The librarian's library is not a member of the group (and they are not a service_admin).");
export const NOT_GROUP_ADMIN = refusal(403, "forbidden", "Not a group_admin of a member library nor a service_admin.");
