/**
 * Administration rules, one place: password policy numbers, logo limits, the
 * ranges of library settings, roles and their order. No imports, so server,
 * clients and tests can all use it without pulling zod into a bundle.
 */

export const PASSWORD_RULES = {
  minChars: 12,
  maxChars: 200,
} as const;

/** How long one-time account links stay valid. */
export const ACCOUNT_LINK_TTL_MS = {
  invite: 7 * 24 * 60 * 60 * 1000,
  reset: 2 * 60 * 60 * 1000,
} as const;

/** How long a library's sign-in log keeps each sign-in and failed sign-in. */
export const SIGN_IN_LOG_KEEP_DAYS = 90;

export const LOGO_RULES = {
  maxBytes: 200 * 1024,
  /** Raster formats only: an SVG can carry script. */
  types: ["image/png", "image/jpeg", "image/gif", "image/webp"],
} as const;

/** Inclusive ranges of the numeric library settings. */
export const SETTING_RANGES = {
  rolloverSeconds: { min: 10, max: 600 },
  waitLimitSeconds: { min: 30, max: 3600 },
  /** Minutes without a message before a chat ends by itself: 5 minutes to a day. */
  idleEndMinutes: { min: 5, max: 1440 },
  /** 1 day to 10 years. */
  retentionDays: { min: 1, max: 3650 },
} as const;

export const DEFAULT_RETENTION_DAYS = 30;

export const IP_MODES = ["truncated", "none"] as const;
export type IpMode = (typeof IP_MODES)[number];

export const CHAT_METHODS = ["chat", "viewport"] as const;
export type ChatMethod = (typeof CHAT_METHODS)[number];

export const ADMIN_TEXT_LIMITS = {
  libraryName: 120,
  displayName: 100,
  phone: 40,
  hoursText: 500,
  /** One weekday's hours, e.g. "9:00–17:00" or "Closed". */
  dayHours: 40,
  unavailableMessage: 500,
  mailSenderName: 80,
  transcriptTemplate: 4000,
  fallbackLinks: 10,
  linkLabel: 80,
  allowedOrigins: 20,
  formTitle: 120,
  formIntro: 1000,
  formFields: 20,
} as const;

/** Roles, least to most powerful. A role may grant only roles at or below its own. */
export const ROLE_ORDER = ["librarian", "library_admin", "group_admin", "service_admin"] as const;

export const ROLE_LABELS: Record<(typeof ROLE_ORDER)[number], string> = {
  librarian: "Librarian",
  library_admin: "Library administrator",
  group_admin: "Group administrator",
  service_admin: "Service administrator",
};

/** Minimum contrast of white text on a brand colour (WCAG 2.2 AA, normal text). */
export const MIN_BRAND_CONTRAST = 4.5;
