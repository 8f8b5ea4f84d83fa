/**
 * Who may call a route, each rule worded once: the words docs/protocol.md
 * prints, and the credential (with the roles it needs) the OpenAPI document's
 * `security` names. The rule is the one the route itself enforces
 * (src/admin/authorize.ts, src/db/tenancy.ts, src/auth/roles.ts).
 */
import type { Role } from "../../auth/librarian";
import { ROLE_ORDER } from "../../shared/admin-limits";
import type { Caller } from "./describe";

/** Nobody has to prove anything. */
export const anyone = (rule: string): Caller => ({ rule, security: [] });
/** The patron of a chat, with its token as `Authorization: Bearer`. */
export const patron = (rule: string): Caller => ({ rule, security: [{ patronToken: [] }] });
/** A signed-in librarian (the cookie), with one of `roles` when the rule needs one. */
export const signedIn = (rule: string, roles: readonly Role[] = []): Caller => ({ rule, security: [{ librarianCookie: [...roles] }] });
/** Anyone, and a signed-in librarian gets more (a socket both sides open). */
export const anyoneOrSignedIn = (rule: string): Caller => ({ rule, security: [{}, { librarianCookie: [] }] });

const ADMINS: Role[] = ["library_admin", "group_admin", "service_admin"];

export const ANYONE = anyone("Anyone; no sign-in.");
export const PATRON = patron("The patron of this chat: `Authorization: Bearer <token>` with the token `POST /api/chats` answered. Cross-origin only from the library's allowed sites.");
export const LIBRARIAN = signedIn("Any signed-in librarian.");
export const SESSION_READER = signedIn("A signed-in librarian of the chat's library, or the librarian serving it (a partner library's, in cooperative service).");
export const SERVING_LIBRARIAN = signedIn("The signed-in librarian serving the chat.");
export const ADMIN_OF_LIBRARY = signedIn("A `library_admin` or `group_admin` of this library, or any `service_admin` (src/admin/authorize.ts).", ADMINS);
export const ADMIN_OF_GROUP = signedIn("A `group_admin` of one of the group's member libraries, or any `service_admin`.", ["group_admin", "service_admin"]);
export const ADMIN_OF_FORM = signedIn(
  "An administrator of the form's library (`library_admin`/`group_admin` of it, or `service_admin`) or of its group (`group_admin` of a member, or `service_admin`).",
  ADMINS,
);
export const MANAGER_OF_ACCOUNT = signedIn(
  `${ADMIN_OF_LIBRARY.rule} Never on their own account, nor on an account whose role is above theirs (roles, least first: ${ROLE_ORDER.map((r) => `\`${r}\``).join(", ")}).`,
  ADMINS,
);
export const COOP_LIBRARY_ADMIN = signedIn("A `library_admin` of this library, or any `service_admin` (src/db/tenancy.ts `isLibraryAdmin`; a `group_admin` is refused here).", ["library_admin", "service_admin"]);
export const GROUP_MEMBER = signedIn("A signed-in librarian of a member library, or a `service_admin`.");
export const GROUP_ADMIN = signedIn("A `group_admin` of a member library, or a `service_admin` (src/db/tenancy.ts `assertGroupAdmin`).", ["group_admin", "service_admin"]);
export const OWN_LIBRARY_ADMIN = signedIn("A signed-in `library_admin` or higher role, for their own library (src/auth/roles.ts); same origin.", ADMINS);
export const QUESTION_READER = signedIn("A signed-in librarian of the question's library, or the cooperative librarian following it up.");
export const QUESTION_HOME = signedIn("A signed-in librarian of the question's library.");

/** Pages: a signed-in librarian, or a 303 to the sign-in page that comes back. */
export const SIGNED_IN_PAGE = signedIn("Signed-in librarian (else a 303 to `/login?next=…`)");
