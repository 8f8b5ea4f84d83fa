/** WebSocket close codes, shared by servers and clients (kept apart from the zod schemas so clients stay small). */
export const CLOSE_CODES = {
  normal: 1000,
  goingAway: 1001,
  /** A protocol violation: a frame that cannot be handled at all, or no hello in time. */
  policy: 1008,
  tooLarge: 1009,
  internal: 1011,
  /** The session ended; nothing more will come. */
  sessionEnded: 4000,
  /** This client was replaced by a newer connection of the same patron. */
  replaced: 4001,
} as const;
