/**
 * The WebSocket protocol, both directions, for both kinds of socket:
 * a chat session socket (patron or librarian ↔ ChatSession) and a queue socket
 * (librarian ↔ RequestQueue). Servers `safeParse` every incoming frame against
 * these schemas; clients import the types. docs/protocol.md is generated from here.
 *
 * Heartbeat: clients send the literal text frame "ping" every
 * TIMING.pingIntervalMs; the server answers "pong" without waking the object.
 */
import { z } from "zod";
import { emailSchema } from "./api";
import { COBROWSE_LIMITS } from "./cobrowse-limits";
import { cleanName, cleanText } from "./display-text";
import { LIMITS } from "./limits";

// ---- shared shapes -------------------------------------------------------

/**
 * Chat text as typed or pasted: control characters other than tab and line
 * breaks are dropped (vertical tab and form feed, which some editors paste as
 * line breaks, become newlines), and so are bidirectional controls and
 * invisible characters (./display-text.ts), before the text is trimmed and
 * checked. Dropped rather than refused: a refused message would stay "sending"
 * in a client that cannot change what it sent — e.g. a Qwidget cached on a
 * library's site.
 */
const chatText = (max: number) =>
  z
    .string()
    .overwrite((s) => cleanText(s.replace(/[\u000b\u000c]/g, "\n").replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, "")))
    .trim()
    .min(1, "A message cannot be empty")
    .max(max);

/** A short label from a patron's browser (a page title, what a pointer points at): one clean line. */
const browserLabel = (max: number) => z.string().overwrite(cleanName).max(max);

export const SESSION_STATUSES = ["waiting", "active", "patron_left", "unavailable", "ended"] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const AUTHOR_ROLES = ["patron", "librarian", "system"] as const;
export type AuthorRole = (typeof AUTHOR_ROLES)[number];

/**
 * A page the librarian pushed: where it opens for the patron — in the
 * viewport beside the chat, or in a new window when the page forbids being
 * shown inside another page (X-Frame-Options, CSP frame-ancestors), cannot be
 * checked, or the patron has no viewport — and why.
 */
export const pushedPageSchema = z.object({
  url: z.string(),
  title: z.string().nullable(),
  display: z.enum(["viewport", "window"]),
  /** Why it opens in a new window (null for the viewport). */
  reason: z.string().nullable(),
});
export type PushedPage = z.infer<typeof pushedPageSchema>;

/** A file sent into a chat (an image or a PDF, checked by its bytes), as the chat shows it. */
export const sharedFileSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The type its bytes say it is (image/png, image/jpeg, image/webp, image/gif, application/pdf). */
  type: z.string(),
  bytes: z.number().int().min(0),
  /** What an image shows, in the sender's words (for screen readers); absent: its name stands in. */
  alt: z.string().nullable().optional(),
});
export type SharedFile = z.infer<typeof sharedFileSchema>;

export const chatMessageSchema = z.object({
  /** Per-session sequence number, 1, 2, 3… with no gaps. */
  seq: z.number().int().positive(),
  /** The sender's own id for this message, echoed so a client can match its acknowledgement. */
  clientId: z.string().nullable(),
  author: z.object({ role: z.enum(AUTHOR_ROLES), name: z.string() }),
  /** "push": a page the librarian pushed; `body` says it in words (for every client and the transcript), `push` says it for the viewport. */
  kind: z.enum(["text", "system", "push", "file"]),
  body: z.string(),
  /** Milliseconds since the epoch, never earlier than the previous message's. */
  at: z.number(),
  /** Written while the patron was still waiting for a librarian. */
  whileWaiting: z.boolean(),
  /** Set on "push" messages. */
  push: pushedPageSchema.optional(),
  /** Set on "file" messages: the file sent into the chat (its bytes are fetched from the file routes, never sent in a frame). */
  file: sharedFileSchema.optional(),
  /**
   * Set on system lines: the line's key and parameters (src/shared/system-lines.ts),
   * so a reader's own language can show it; `body` is the English text.
   */
  line: z.object({ key: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() }).optional(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const sessionViewSchema = z.object({
  id: z.string(),
  status: z.enum(SESSION_STATUSES),
  libraryId: z.string(),
  libraryName: z.string(),
  question: z.string(),
  patronName: z.string(),
  librarian: z.object({ id: z.string(), name: z.string(), libraryId: z.string() }).nullable(),
  createdAt: z.number(),
  acceptedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  /**
   * A transfer offered but not yet accepted: who it goes to. Both sides
   * may see this much — the patron is told in the chat anyway; the internal note
   * never travels in a view.
   */
  transfer: z
    .object({ kind: z.enum(["librarian", "queue"]), toName: z.string(), fromName: z.string(), expiresAt: z.number() })
    .nullable()
    .optional(),
  /** Colleagues consulting in the chat beside the librarian who owns it (they write too; the owner ends it). */
  consultants: z.array(z.object({ id: z.string(), name: z.string(), libraryId: z.string() })).optional(),
  /** Whether files may be sent in this chat now (the library's setting and the librarian's choice). */
  filesAllowed: z.boolean().optional(),
  /** A colleague invited to consult who has not joined yet. */
  consultInvite: z.object({ toName: z.string(), fromName: z.string(), expiresAt: z.number() }).nullable().optional(),
});
export type SessionView = z.infer<typeof sessionViewSchema>;

/** Whether the patron gets the transcript by e-mail when the chat ends, and where. Patrons only. */
export const transcriptChoiceSchema = z.object({ send: z.boolean(), email: z.string().nullable() });
export type TranscriptChoice = z.infer<typeof transcriptChoiceSchema>;

// ---- chat with viewport and co-browsing ----------------------------------

export const POPUP_STATES = ["unknown", "allowed", "blocked"] as const;

/**
 * What the patron's browser reports it can do, once the chat is connected (and
 * again when something changes, e.g. pop-ups turn out to be blocked at the
 * first page that opens in a new window).
 */
export const browserReportSchema = z.object({
  /** Whether this page can show other sites in a frame (null when the form has no viewport, so nothing was tried). */
  framing: z.boolean().nullable(),
  popups: z.enum(POPUP_STATES),
  /** The chat runs inside the Qwidget on a library's page (not on Refdesk's own chat page). */
  qwidget: z.boolean(),
  /** The browser has what co-browsing needs. */
  cobrowseSupported: z.boolean(),
  /** A phone-sized screen (the viewport then sits below the chat). */
  narrow: z.boolean(),
});
export type BrowserReport = z.infer<typeof browserReportSchema>;

/** The co-browse check as the librarian sees it: the patron's report judged by the server, in words. */
export const browserCheckSchema = z.object({
  reported: z.boolean(),
  viewport: z.object({ available: z.boolean(), note: z.string() }),
  popups: z.enum(POPUP_STATES),
  qwidget: z.object({ on: z.boolean(), pageOrigin: z.string().nullable() }),
  cobrowse: z.object({ possible: z.boolean(), note: z.string() }),
  narrow: z.boolean(),
});
export type BrowserCheck = z.infer<typeof browserCheckSchema>;

export const COBROWSE_STATUSES = ["off", "requested", "active", "paused"] as const;

/** Where co-browsing stands: asked for, sharing, or (between two pages of the patron's site) paused. */
export const cobrowseViewSchema = z.object({
  status: z.enum(COBROWSE_STATUSES),
  /** The librarian who asked (and sees the page). */
  librarianName: z.string().nullable(),
  /** The shared page, while sharing. */
  url: z.string().nullable(),
  title: z.string().nullable(),
  since: z.number().nullable(),
});
export type CobrowseView = z.infer<typeof cobrowseViewSchema>;

/**
 * One recorded page event (rrweb's format: a type number, its data, a time).
 * The server reads the data only to refuse frames that would leak a typed value.
 */
export const pageEventSchema = z.object({ type: z.number().int(), data: z.unknown(), timestamp: z.number() }).passthrough();
export type PageEvent = z.infer<typeof pageEventSchema>;

/** A point on the shared page the librarian shows the patron: a recorded node, or page coordinates. */
export const pointerTargetSchema = z.object({
  nodeId: z.number().int().min(0).nullable(),
  x: z.number().finite().min(0).max(1_000_000),
  y: z.number().finite().min(0).max(1_000_000),
  /** What it is, in words, for the patron's screen reader (e.g. the link's text). */
  label: browserLabel(200).optional(),
});
export type PointerTarget = z.infer<typeof pointerTargetSchema>;

export const ERROR_CODES = [
  "bad_json",
  "bad_frame",
  "too_large",
  "hello_required",
  "unauthorized",
  "forbidden",
  "not_found",
  "session_ended",
  "not_active",
  "already_taken",
  "rate_limited",
  "validation_failed",
  "internal",
  // Ask a Librarian module: a status change the current status does not allow,
  // a follow-up to a patron who left no address, a name that is already taken.
  "invalid_transition",
  "no_recipient",
  "duplicate",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const errorFrameSchema = z.object({
  type: z.literal("error"),
  code: z.enum(ERROR_CODES),
  message: z.string(),
  field: z.string().optional(),
  /** A chat message refused for now (`rate_limited`): which one, and when the client should send it again. */
  clientId: z.string().optional(),
  retryAfterMs: z.number().int().min(0).optional(),
});
export type ErrorFrame = z.infer<typeof errorFrameSchema>;

// ---- chat session socket: client → server --------------------------------

export const sessionClientMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("hello"),
    /** Patrons prove who they are with the token they got when they asked; librarians are known by their sign-in. */
    token: z.string().min(1).max(200).optional(),
    /** Highest sequence number this client has already shown; 0 for none. */
    lastSeq: z.number().int().min(0),
  }),
  z.object({
    type: z.literal("send"),
    clientId: z.string().min(1).max(LIMITS.clientIdChars),
    body: chatText(LIMITS.messageChars),
  }),
  z.object({ type: z.literal("typing"), active: z.boolean() }),
  /** The patron leaves the chat (or withdraws the request while waiting). */
  z.object({ type: z.literal("leave") }),
  /** The patron changes whether the transcript is e-mailed when the chat ends (patrons only, while the chat is open). */
  z.object({
    type: z.literal("transcript"),
    send: z.boolean(),
    /** Where to send it; needed when the patron gave no address when asking. */
    email: emailSchema.optional(),
  }),
  /** Patrons: what this browser can do (the co-browse check). */
  z.object({ type: z.literal("capabilities"), report: browserReportSchema }),
  /** The serving librarian asks to see the patron's page (the patron is asked for consent). */
  z.object({ type: z.literal("cobrowse.request") }),
  /** The patron says no to sharing their page. */
  z.object({ type: z.literal("cobrowse.decline") }),
  /** Either side ends co-browsing (or the librarian withdraws the request). */
  z.object({ type: z.literal("cobrowse.stop") }),
  /** The serving librarian points at something on the shared page; the patron sees it highlighted. */
  z.object({ type: z.literal("cobrowse.point"), target: pointerTargetSchema }),
  /** The serving librarian takes the shared page to another page of the same site. */
  z.object({ type: z.literal("cobrowse.navigate"), url: z.string().min(1).max(LIMITS.urlChars) }),
  /** The serving librarian's view asks for the whole page again (e.g. a second monitor tab). */
  z.object({ type: z.literal("cobrowse.resync") }),
]);
export type SessionClientMessage = z.infer<typeof sessionClientMessageSchema>;

// ---- chat session socket: server → client --------------------------------

export const sessionServerMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("welcome"),
    role: z.enum(["patron", "librarian"]),
    session: sessionViewSchema,
    /** The highest sequence number stored; the missed messages follow this frame in order. */
    lastSeq: z.number().int().min(0),
    /** Patrons only: the current transcript choice. */
    transcript: transcriptChoiceSchema.optional(),
  }),
  z.object({ type: z.literal("message"), message: chatMessageSchema }),
  z.object({
    type: z.literal("ack"),
    clientId: z.string(),
    seq: z.number().int().positive(),
    /** True when this clientId had been stored before: a retry, not a new message. */
    duplicate: z.boolean(),
  }),
  z.object({ type: z.literal("typing"), role: z.enum(["patron", "librarian"]), name: z.string(), active: z.boolean() }),
  z.object({ type: z.literal("status"), session: sessionViewSchema }),
  /** Patrons only: the transcript choice changed (from this or another of the patron's connections). */
  z.object({ type: z.literal("transcript"), ...transcriptChoiceSchema.shape }),
  /** Librarians only: the co-browse check (after the welcome, and whenever the patron's report changes). */
  z.object({ type: z.literal("check"), check: browserCheckSchema }),
  /** Both sides: where co-browsing stands (after the welcome when not "off", and on every change). */
  z.object({ type: z.literal("cobrowse"), cobrowse: cobrowseViewSchema }),
  /** The serving librarian only: the shared page's events, as the patron's page sent them. Never stored. */
  z.object({ type: z.literal("cobrowse.events"), events: z.array(pageEventSchema) }),
  errorFrameSchema,
]);
export type SessionServerMessage = z.infer<typeof sessionServerMessageSchema>;

// ---- co-browse stream socket (patron's sharing page ↔ ChatSession) --------
//
// The page a patron agreed to share opens a socket of its own
// (/api/chats/:id/cobrowse): the chat socket may live in another tab of the
// site, and the stream must stop the moment that page stops sharing.

export const cobrowseClientMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("hello"), token: z.string().min(1).max(200) }),
  /**
   * The patron's consent: share this page. `sharingId` resumes a sharing the
   * patron already agreed to, on the next page of the same site.
   */
  z.object({
    type: z.literal("start"),
    sharingId: z.string().min(1).max(64).optional(),
    url: z.string().min(1).max(LIMITS.urlChars),
    title: browserLabel(COBROWSE_LIMITS.titleChars),
  }),
  z.object({ type: z.literal("events"), events: z.array(pageEventSchema).min(1).max(COBROWSE_LIMITS.eventsPerFrame) }),
  z.object({ type: z.literal("stop") }),
]);
export type CobrowseClientMessage = z.infer<typeof cobrowseClientMessageSchema>;

export const cobrowseServerMessageSchema = z.discriminatedUnion("type", [
  /** Sharing may begin (or go on): send the whole page, then its changes. */
  z.object({ type: z.literal("started"), sharingId: z.string(), librarianName: z.string() }),
  /** Send the whole page again. */
  z.object({ type: z.literal("resync") }),
  z.object({ type: z.literal("point"), target: pointerTargetSchema }),
  z.object({ type: z.literal("navigate"), url: z.string() }),
  /** Sharing is over: stop recording at once. */
  z.object({ type: z.literal("ended"), reason: z.string() }),
  errorFrameSchema,
]);
export type CobrowseServerMessage = z.infer<typeof cobrowseServerMessageSchema>;

// ---- queue socket --------------------------------------------------------

export const queuedRequestSchema = z.object({
  sessionId: z.string(),
  queueId: z.string(),
  libraryId: z.string(),
  libraryName: z.string(),
  formId: z.string().nullable(),
  question: z.string(),
  patronName: z.string(),
  createdAt: z.number(),
  /** What the patron typed while waiting, newest last, each shortened to LIMITS.previewChars. */
  preview: z.array(z.string()),
  /** The title of the form the patron asked from (absent for requests stored before it was recorded). */
  formTitle: z.string().nullable().optional(),
  /**
   * Set when this is not a new request but a chat being transferred:
   * from whom, to one librarian or to the whole queue, with the internal note.
   * Only librarians ever receive queue frames, so the note stays internal.
   */
  transfer: z
    .object({
      id: z.string(),
      from: z.object({ id: z.string(), name: z.string() }),
      /** The one librarian it is offered to, or null when any monitor of the queue may take it. */
      toLibrarianId: z.string().nullable(),
      toName: z.string(),
      note: z.string().nullable(),
      expiresAt: z.number(),
    })
    .optional(),
  /** Set when this is an invitation to consult in a chat another librarian owns (shown to the invited librarian only). */
  consult: z
    .object({
      id: z.string(),
      from: z.object({ id: z.string(), name: z.string() }),
      toLibrarianId: z.string(),
      expiresAt: z.number(),
    })
    .optional(),
});
export type QueuedRequest = z.infer<typeof queuedRequestSchema>;

export const LIBRARIAN_STATUSES = ["online", "busy", "away"] as const;
export type LibrarianStatus = (typeof LIBRARIAN_STATUSES)[number];

export const monitorSchema = z.object({
  librarianId: z.string(),
  name: z.string(),
  libraryId: z.string(),
  status: z.enum(LIBRARIAN_STATUSES),
  /** True while the socket is gone but the grace period has not run out. */
  reconnecting: z.boolean(),
});
export type Monitor = z.infer<typeof monitorSchema>;

/** A librarian-to-librarian message on a queue: to everyone monitoring it (`to` null) or to one of them. Never shown to patrons. */
export const staffMessageSchema = z.object({
  /** Per-queue number, increasing. */
  id: z.number().int().positive(),
  queueId: z.string(),
  from: z.object({ id: z.string(), name: z.string() }),
  to: z.object({ id: z.string(), name: z.string() }).nullable(),
  body: z.string(),
  at: z.number(),
  /** The sender's own id for this message, so their client can match it. */
  clientId: z.string().nullable(),
});
export type StaffMessage = z.infer<typeof staffMessageSchema>;

/**
 * A direct message from one librarian to a colleague of their library or
 * cooperatives (kept in D1, src/staff/direct-messages.ts). It reaches the
 * recipient's monitor as a queue frame on whichever of their queues they are
 * monitoring, and is read back over HTTP.
 */
export const directMessageSchema = z.object({
  /** Increasing over all direct messages. */
  id: z.number().int().positive(),
  from: z.object({ id: z.string(), name: z.string() }),
  to: z.object({ id: z.string(), name: z.string() }),
  body: z.string(),
  at: z.number(),
  clientId: z.string(),
  /** When the recipient read it (null: unread). */
  readAt: z.number().nullable(),
});
export type DirectMessage = z.infer<typeof directMessageSchema>;

/** The body of a direct message (POST /api/staff/direct/:librarianId). */
export const directSendSchema = z.object({ clientId: z.string().min(1).max(LIMITS.clientIdChars), body: chatText(LIMITS.staffMessageChars) });

export const queueClientMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("set_status"), status: z.enum(LIBRARIAN_STATUSES) }),
  /** Staff chat: to everyone on this queue (`to: null`) or directly to one monitoring librarian. */
  z.object({
    type: z.literal("staff.send"),
    clientId: z.string().min(1).max(LIMITS.clientIdChars),
    body: chatText(LIMITS.staffMessageChars),
    to: z.string().min(1).max(100).nullable(),
  }),
]);
export type QueueClientMessage = z.infer<typeof queueClientMessageSchema>;

export const REMOVAL_REASONS = ["accepted", "left", "unavailable", "withdrawn"] as const;

export const queueServerMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("queue.snapshot"),
    queueId: z.string(),
    requests: z.array(queuedRequestSchema),
    monitors: z.array(monitorSchema),
  }),
  z.object({ type: z.literal("request.added"), request: queuedRequestSchema }),
  z.object({ type: z.literal("request.updated"), request: queuedRequestSchema }),
  z.object({
    type: z.literal("request.removed"),
    queueId: z.string(),
    sessionId: z.string(),
    reason: z.enum(REMOVAL_REASONS),
    /** Who accepted, when reason is "accepted". */
    by: z.object({ id: z.string(), name: z.string() }).nullable(),
  }),
  /** Everyone monitoring the queue: the whole list (after the object restarted; changes then follow as presence.changed). */
  z.object({ type: z.literal("presence"), queueId: z.string(), monitors: z.array(monitorSchema) }),
  /** Who joined or changed (`monitors`, each in full) and who left (`gone`, librarian ids) since the last presence frame: a statewide queue's hundreds of monitors are not sent the whole list on every change. */
  z.object({ type: z.literal("presence.changed"), queueId: z.string(), monitors: z.array(monitorSchema), gone: z.array(z.string()) }),
  /** Sent after the snapshot: the staff messages of this shift this librarian may read, oldest first. */
  z.object({ type: z.literal("staff.history"), queueId: z.string(), messages: z.array(staffMessageSchema) }),
  /** A new staff message (also the sender's confirmation, carrying their clientId). */
  z.object({ type: z.literal("staff.message"), message: staffMessageSchema }),
  /** A direct message to (or, on the sender's other monitors, from) this librarian; the same one may come on each queue they monitor. */
  z.object({ type: z.literal("direct.message"), message: directMessageSchema }),
  errorFrameSchema,
]);
export type QueueServerMessage = z.infer<typeof queueServerMessageSchema>;

export { CLOSE_CODES } from "./close-codes";

/** Parses a text frame into a message of `schema`, or says precisely why not. */
export function parseFrame<T>(
  schema: z.ZodType<T>,
  raw: string | ArrayBuffer,
  maxBytes: number = LIMITS.frameBytes,
): { ok: true; value: T } | { ok: false; error: ErrorFrame } {
  if (typeof raw !== "string") {
    return { ok: false, error: { type: "error", code: "bad_frame", message: "Binary frames are not accepted; send JSON text." } };
  }
  // The limit is in bytes, but `raw.length` counts UTF-16 units, and one unit can
  // take up to 3 bytes in UTF-8: measure exactly whenever the frame could be over.
  const overLimit = raw.length > maxBytes || (raw.length * 3 > maxBytes && new TextEncoder().encode(raw).byteLength > maxBytes);
  if (overLimit) {
    return { ok: false, error: { type: "error", code: "too_large", message: `Frames are limited to ${maxBytes} bytes.` } };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, error: { type: "error", code: "bad_json", message: "The frame is not valid JSON." } };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || undefined;
    return {
      ok: false,
      error: { type: "error", code: "bad_frame", message: issue ? `${field ? field + ": " : ""}${issue.message}` : "Bad frame.", field },
    };
  }
  return { ok: true, value: parsed.data };
}
