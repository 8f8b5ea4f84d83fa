/** Size limits, one place. Servers enforce them; clients and tests import them. */
export const LIMITS = {
  /** Characters in one chat message. */
  messageChars: 4000,
  /** Characters in the opening question. */
  questionChars: 2000,
  nameChars: 100,
  emailChars: 254,
  /** Characters in a form's extra answer (patron type, card number, custom fields). */
  fieldChars: 200,
  endNoteChars: 2000,
  /** Bytes in one WebSocket frame; larger frames are refused without parsing. */
  frameBytes: 16 * 1024,
  /** Client-generated message ids. */
  clientIdChars: 64,
  /** Bytes in an HTTP JSON body. */
  bodyBytes: 32 * 1024,
  /** Waiting-time messages shown as a preview in the queue. */
  previewChars: 280,
  /** Ask a Librarian module: a follow-up answer e-mailed to a patron, an internal note, a search. */
  followupChars: 8000,
  noteChars: 4000,
  searchChars: 200,
  /** Questions on one page of a list (default and most). */
  questionPageSize: 25,
  questionPageSizeMax: 100,
  /** A library's descriptive codes: label length, and how many a library may have. */
  codeLabelChars: 80,
  descriptiveCodesMax: 300,
  /** Canned messages ("scripts"): title length and how many one library may keep. */
  cannedTitleChars: 100,
  cannedPerLibrary: 200,
  /** Characters in one librarian-to-librarian (staff) message. */
  staffMessageChars: 2000,
  /** Staff messages a queue keeps for reloads (older ones are dropped). */
  staffHistory: 300,
  /** Direct messages one librarian may send in a minute (each is a D1 write and a push to a few queues). */
  directMessagesPerMinute: 30,
  /** Characters in the internal note that goes with a transfer. */
  transferNoteChars: 1000,
  /** A link a librarian sends: its address and its title. */
  urlChars: 2000,
  linkTitleChars: 200,
  /** Earlier sessions of the same patron listed in the monitor's patron details. */
  earlierSessions: 20,
  /** Characters in the comment a patron leaves with a rating. */
  ratingCommentChars: 1000,
  /** Chat with viewport: redirects the framing check follows before it gives up. Co-browsing's limits: ./cobrowse-limits.ts. */
  framingRedirects: 5,
} as const;

/**
 * Chat messages one author (patron or librarian) may send into a chat: a burst
 * of `burst`, refilled evenly over `refillMs`. Typing never comes near it; a
 * script flooding the other side does. A message over the limit is refused with
 * `rate_limited` and a `retryAfterMs`, and the client sends it again then.
 */
export const MESSAGE_RATE = { burst: 20, refillMs: 10_000 } as const;

/**
 * Fair share: what one client may send on one socket. Every frame — of any
 * type, well-formed or not — first takes from its socket's allowance (a burst,
 * refilled evenly each second: far above what a person's chat sends, and low
 * enough that a client sending flat out all the time costs the others little);
 * a frame over it is dropped unread (the sender is told once per
 * `dropWindowMs`). A socket that keeps sending past its allowance
 * (`closeAfterDropped` frames dropped within `dropWindowMs`) is closed (1008),
 * and its author may not reconnect for `cooldownMs`.
 */
export const SOCKET_FRAME_RATE = {
  burst: 40,
  perSecond: 20,
  dropWindowMs: 10_000,
  closeAfterDropped: 100,
  cooldownMs: 10_000,
  /** A co-browse page's own socket carries the page's events (COBROWSE_LIMITS.framesPerSecond, checked after this), so it may send more. */
  stream: { burst: 80, perSecond: 40 },
} as const;

/**
 * What each kind of frame may cost, per author (the patron, or one librarian),
 * across all of that author's sockets: a burst of `burst`, refilled evenly over
 * `refillMs`. Frames that change stored state have small allowances; a frame
 * over its allowance is refused with `rate_limited` and `retryAfterMs` (once
 * per run of refusals) and changes nothing. Chat messages: MESSAGE_RATE.
 */
export const FRAME_RATES = {
  /** Per socket, not per author: whoever knows a chat's address can open sockets, and must not use up the patron's hellos. */
  hello: { burst: 3, refillMs: 10_000 },
  typing: { burst: 20, refillMs: 10_000 },
  leave: { burst: 5, refillMs: 10_000 },
  transcript: { burst: 5, refillMs: 10_000 },
  capabilities: { burst: 5, refillMs: 10_000 },
  "cobrowse.request": { burst: 5, refillMs: 10_000 },
  "cobrowse.decline": { burst: 5, refillMs: 10_000 },
  "cobrowse.stop": { burst: 5, refillMs: 10_000 },
  "cobrowse.point": { burst: 20, refillMs: 10_000 },
  "cobrowse.navigate": { burst: 10, refillMs: 10_000 },
  "cobrowse.resync": { burst: 5, refillMs: 10_000 },
  set_status: { burst: 10, refillMs: 10_000 },
  "staff.send": { burst: 20, refillMs: 10_000 },
  /** The co-browse stream's control frames (its page events have their own rate: COBROWSE_LIMITS). */
  start: { burst: 5, refillMs: 10_000 },
  stop: { burst: 5, refillMs: 10_000 },
} as const;

/**
 * How big one chat may grow, so that every chat the caps allow can be filed
 * and mailed: D1 holds at most 2,000,000 bytes in one value or row. The whole
 * transcript is one JSON value (worst case, every character escaped, about
 * 2 × textBytes + 200 bytes a message ≈ 230 KB), and a sent transcript mail
 * one row of text, HTML and the raw MIME message (worst case, every character
 * escaped four-fold in HTML, about 12 × textBytes + 600 bytes a message ≈
 * 1.1 MB). People's messages stop at the caps; system lines have a little
 * headroom above them, then are dropped.
 */
export const SESSION_CAPS = { messages: 500, textBytes: 64 * 1024, systemMessages: 50, systemBytes: 16 * 1024 } as const;

/**
 * Files in a chat (images and PDFs, in R2; the chat stores only what they
 * are): each at most `fileBytes`; per chat at most `perChat` files and
 * `chatBytes` in all, of which the patron may send `perPatron`.
 */
export const FILE_LIMITS = { fileBytes: 10 * 1024 * 1024, perChat: 20, perPatron: 10, chatBytes: 50 * 1024 * 1024 } as const;

/** The patron's after-chat rating: whole numbers on this scale. */
export const RATING = { lowest: 1, highest: 5 } as const;

/** Timing rules, one place (milliseconds unless named otherwise). */
export const TIMING = {
  /** A librarian whose queue socket drops still counts as monitoring this long. */
  presenceGraceMs: 20_000,
  /** A waiting patron's new lines reach the queues' preview at most this often (the first at once). */
  previewRefreshMs: 1_000,
  /** Clients ping this often; a socket silent for staleSocketMs is treated as gone. */
  pingIntervalMs: 10_000,
  staleSocketMs: 35_000,
  /** Open librarian sockets re-check that their sign-in is still valid this often (revocation also closes them at once). */
  accessRecheckMs: 60_000,
  /** Every socket (patron, librarian, co-browse page) must say hello within this long of connecting, or it is closed (1008). */
  helloTimeoutMs: 10_000,
  /** Librarian sign-in sessions last this long. */
  authSessionMs: 12 * 60 * 60 * 1000,
  /** A chat with no message for this long ends by itself, unless its library set its own time (libraries.idle_end_minutes). */
  idleEndMs: 30 * 60 * 1000,
  /**
   * A waiting patron whose every chat socket has gone (the tab closed, the
   * phone went away) and who does not come back within this long has left:
   * the request is withdrawn and filed unanswered.
   */
  patronGoneMs: 2 * 60 * 1000,
  /** A transfer nobody accepts within this long goes back to the librarian who offered it. */
  transferOfferMs: 120_000,
  /**
   * A queue entry older than this is dropped even if its removal never arrived
   * (a request leaves its queues when it is answered or withdrawn; this bounds
   * how long a patron's name and question can stay in a queue's storage).
   */
  queueEntryMaxAgeMs: 24 * 60 * 60 * 1000,
  /** Staff messages older than a shift are dropped. */
  staffHistoryMs: 12 * 60 * 60 * 1000,
  /** Direct messages between librarians are kept this long (the daily scrub deletes older ones). */
  directMessagesKeepMs: 30 * 24 * 60 * 60 * 1000,
  /**
   * A chat's D1 row follows live changes that nobody outside the chat needs at
   * once (the transcript choice) within this long, coalesced: a patron toggling
   * it never costs a database write per toggle.
   */
  rowMirrorDelayMs: 5_000,
  /** The framing check gives up on a page that has not answered within this long (the page then opens in a new window). */
  framingCheckMs: 5_000,
} as const;

/**
 * A library's or group's archive (src/transfer): the JSON files an export
 * writes stay under fileBytes so an import never holds more than one large
 * file unpacked beside the archive itself; an import refuses an archive over
 * archiveBytes, a file over fileBytes unpacked, or more than `files` entries.
 */
export const ARCHIVE_LIMITS = {
  archiveBytes: 48 * 1024 * 1024,
  fileBytes: 8 * 1024 * 1024,
  /** An export starts a new file of a large section past this many bytes. */
  chunkBytes: 2 * 1024 * 1024,
  files: 20_000,
} as const;
