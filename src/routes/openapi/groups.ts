/**
 * The resources the protocol is told in: each an OpenAPI tag and a section of
 * docs/protocol.md, in this order. A route names its group in its documentation.
 */
import { SESSION_COOKIE } from "../../auth/session-cookie";
import type { RouteGroup } from "./describe";

const group = (name: string, description: string): RouteGroup => ({ name, description });

export const GROUPS = {
  signIn: group("Librarian sign-in", `Librarians sign in once; the HttpOnly \`${SESSION_COOKIE}\` cookie then identifies them on every librarian route.`),
  patronChats: group(
    "Chats: the patron's side",
    "A patron asks from a form, chats over the session socket, and may leave the question by e-mail or rate the chat. Patrons have no account: the token answered when they asked is their proof.",
  ),
  embedding: group(
    "The Qwidget and embedding",
    "What a library page that embeds chat reads. The two scripts and the form data are served to any site (`Access-Control-Allow-Origin: *`, no cookies read); the status answers only sites the library allows.",
  ),
  librarianChats: group("Chats: the librarian's side", "Accepting, reading, transferring and ending chats. Chatting itself happens on the session socket (`?as=librarian`)."),
  chatFiles: group(
    "Files in chats",
    "Images (PNG, JPEG, WebP, GIF) and PDFs the patron and the librarians send in a chat, kept in R2 (the FILES binding) until the library's retention deletes them. The type is recognised from the bytes; the chat decides whether it takes a file (its limits, the library's setting, the librarian's choice) and sends it to both sides as a `file` message.",
  ),
  queues: group("Queues and the monitor", "A librarian monitors a queue by keeping its socket open; the queue frames are under WebSockets."),
  cannedMessages: group(
    "Canned messages",
    "A library's canned messages (\"scripts\") that librarians insert in the composer. Every query is scoped to the signed-in librarian's library: another library's id is simply not found.",
  ),
  questions: group(
    "Questions (the Ask a Librarian module)",
    "Every filed chat and e-mailed question, with its status, owner, history, notes and mails. A librarian sees their own library's questions; a partner library's librarian who served a chat and ended it \"Followup By Me\" also sees that one question while they own it (src/db/tenancy.ts), and may answer it and add notes, nothing else. Changes (every method but GET) come only from Refdesk's own pages.",
  ),
  descriptiveCodes: group(
    "Descriptive codes",
    "The signed-in librarian's library's own list of descriptive codes (a copy of the defaults to start with). Codes are never deleted, only hidden, so old chats keep theirs. Changes come only from Refdesk's own pages.",
  ),
  ownAccount: group(
    "Administration: your own account",
    "Every route under `/api/admin` authorises on the server (src/admin/authorize.ts) and takes changes only from Refdesk's own pages: a change sent with another site's `Origin` is refused before anything else (403 `forbidden`). These four serve any signed-in librarian, about themselves.",
  ),
  libraryAdmin: group(
    "Administration: libraries and their accounts",
    "A library's settings, audit log, privacy record and librarians. Account changes and settings changes are written to the audit log in the same batch.",
  ),
  formAdmin: group("Administration: chat request forms", "A library's or a group's forms, one form's settings and logo, and what to copy to embed it."),
  groupAdmin: group("Administration: groups and the service", "What group administrators and service administrators read."),
  service: group(
    "Service administration and health",
    "What only service administrators do: create, edit and archive libraries, create groups and add members, import archives, see the service's health and act on its failed mail. `/healthz` is for uptime monitors: counts and times, no secrets, nothing personal.",
  ),
  archives: group(
    "Archives: a library's or group's data, exported and imported",
    "A library administrator downloads everything the library owns as one ZIP of JSON and CSV (format in docs/operations.md); a group administrator the group's own things. Another Refdesk installation imports it (a service administrator).",
  ),
  policies: group(
    "Cooperation: policy pages",
    "Each library's policy page, for its own librarians and its cooperative partners (libraries that share a group with it); a `service_admin` reads all.",
  ),
  coopGroups: group(
    "Cooperation: groups, schedules and coverage",
    "Groups (cooperatives) of libraries: membership by invitation, the coverage schedule that says which member staffs the group queue when, and the group's page.",
  ),
  coopLibrary: group("Cooperation: a library's routing and invitations", "When a library's requests roll over to its groups, and in which order."),
  feedback: group(
    "Cooperation: feedback",
    "Quality feedback between partners: the patron's home library rates a chat a partner answered; the answering librarian reads what was said about theirs.",
  ),
  statistics: group(
    "Statistics",
    "What happened at the desk — volume, when, waits and lengths, codes, people and coverage, the cooperative, planning, feedback — live, as JSON or CSV. A librarian sees their own chats, a library's administrators the library's (its patrons' chats and its librarians' answers), a group's administrators the cooperative's; figures about another library's patrons are counts only. docs/statistics.md defines every figure.",
  ),
  reference: group("This reference", "The protocol as a machine-readable document: every route below, with its schemas."),
  pages: group(
    "Pages",
    "Server-rendered HTML for people, and the plain form posts behind them; they answer pages and redirects, not JSON. A client needs them only to link to.",
  ),
} as const;

/** The groups in the order the document and docs/protocol.md tell them. */
export const GROUP_ORDER: RouteGroup[] = Object.values(GROUPS);
