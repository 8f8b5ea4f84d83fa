/**
 * Co-browsing's limits, one place: the session object enforces them,
 * the patron's recorder keeps within them, tests import them. Kept apart from
 * ./limits.ts so the co-browse recorder chunk shares no module with the
 * Qwidget's first load.
 */
export const COBROWSE_LIMITS = {
  /** One co-browse frame (a batch of page events). Larger frames are refused without parsing. */
  frameBytes: 512 * 1024,
  /** Page events in one co-browse frame. */
  eventsPerFrame: 1000,
  /** Frames one sharing page may send per second (a burst of this many, refilled each second). */
  framesPerSecond: 30,
  /** Bytes one sharing page may send per second (a burst of this many, refilled each second). */
  bytesPerSecond: 1024 * 1024,
  /** Characters of the shared page's title. */
  titleChars: 200,
  /** A shared page whose stream dropped (the patron's page is loading the next page) may resume within this long (ms) before co-browsing ends. */
  resumeMs: 20_000,
} as const;
