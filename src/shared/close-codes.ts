/** WebSocket close codes, shared by servers and clients (kept apart from the zod schemas so clients stay small). */
export const CLOSE_CODES = {
  normal: 1000,
  goingAway: 1001,
  /** A protocol violation: a frame that cannot be handled at all, or no hello in time. */
  policy: 1008,
  /** A fault on the server's side while handling a frame: reconnect. */
  internal: 1011,
  /** The session ended; nothing more will come. */
  sessionEnded: 4000,
  /** The librarian's sign-in ended (signed out, signed out everywhere, password changed or reset, role changed, account disabled): sign in again. */
  accessEnded: 4003,
} as const;
