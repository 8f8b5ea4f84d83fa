/**
 * Fixtures only the browser tests use, seeded beside the demo data by
 * global-setup.ts. Every browser test file shares one server, so a test whose
 * result depends on a queue's exact contents (e.g. "accept the patron who has
 * waited longest") or that locks an account out gets a library or account of
 * its own, untouched by the other files.
 */

/** A library in no group, so its requests never roll over and nobody else's arrive. */
export const KEYBOARD_LIBRARY = {
  id: "keyboard-test",
  name: "Keyboard Test Library",
  timeZone: "UTC",
  contactEmail: "ask@keyboard-test.example",
  phone: null,
  hoursText: null,
  unavailableMessage: null,
  fallbackLinks: [],
  brandColor: "#1d4ed8",
  allowedOrigins: [],
};

export const KEYBOARD_FORM = {
  id: "keyboard-test-chat",
  libraryId: KEYBOARD_LIBRARY.id,
  queueId: `lib:${KEYBOARD_LIBRARY.id}`,
  title: "Ask the keyboard test library",
  intro: null,
  fields: [],
};

export const KEYBOARD_LIBRARIAN = {
  id: "keyboard-test-librarian",
  libraryId: KEYBOARD_LIBRARY.id,
  email: "librarian@keyboard-test.example",
  displayName: "Kim",
  role: "librarian",
};

/** An account the sign-in tests lock out (a demo librarian locked would break other files). */
export const LOCKOUT_LIBRARIAN = {
  id: "lockout-test",
  libraryId: KEYBOARD_LIBRARY.id,
  email: "lockout-test@keyboard-test.example",
  displayName: "Lockout Test",
  role: "librarian",
};

/**
 * Chat with viewport and co-browsing: a library of its own whose
 * form has a viewport, carried by the test site public/demo/cobrowse-test/.
 */
export const COBROWSE_LIBRARY = { ...KEYBOARD_LIBRARY, id: "cobrowse-test", name: "Co-browse Test Library", contactEmail: "ask@cobrowse-test.example" };

export const COBROWSE_FORM = {
  id: "cobrowse-test-chat",
  libraryId: COBROWSE_LIBRARY.id,
  queueId: `lib:${COBROWSE_LIBRARY.id}`,
  title: "Ask the co-browse test library",
  intro: null,
  fields: [],
  chatMethod: "viewport",
};

/** A library administrator (so a test can give the library's policy page key links) who also answers chats. */
export const COBROWSE_LIBRARIAN = {
  id: "cobrowse-test-librarian",
  libraryId: COBROWSE_LIBRARY.id,
  email: "casey@cobrowse-test.example",
  displayName: "Casey",
  role: "library_admin",
};

/**
 * How names show: a library of its own whose librarian's name was stored
 * before names were cleaned on the way in — it still carries a right-to-left
 * override and a zero-width space, as older data can.
 */
export const DISPLAY_LIBRARY = { ...KEYBOARD_LIBRARY, id: "display-test", name: "Display Test Library", contactEmail: "ask@display-test.example" };

export const DISPLAY_FORM = { ...KEYBOARD_FORM, id: "display-test-chat", libraryId: DISPLAY_LIBRARY.id, queueId: `lib:${DISPLAY_LIBRARY.id}`, title: "Ask the display test library" };

export const DISPLAY_LIBRARIAN = {
  id: "display-test-librarian",
  libraryId: DISPLAY_LIBRARY.id,
  email: "dana@display-test.example",
  displayName: "Dana\u202E\u200B",
  role: "librarian",
};

/**
 * The librarian's day (test/browser/librarian-day.test.ts): a library of its
 * own for scripts, codes, ratings, earlier chats and the navigation, with a
 * test site carrying its Qwidget (public/demo/day-test/).
 */
export const DAY_LIBRARY = { ...KEYBOARD_LIBRARY, id: "day-test", name: "Day Test Library", contactEmail: "ask@day-test.example" };
export const DAY_FORM = { ...KEYBOARD_FORM, id: "day-test-chat", libraryId: DAY_LIBRARY.id, queueId: `lib:${DAY_LIBRARY.id}`, title: "Ask the day test library" };
export const DAY_ADMIN = { id: "day-test-admin", libraryId: DAY_LIBRARY.id, email: "ada@day-test.example", displayName: "Ada", role: "library_admin" };
export const DAY_LIBRARIAN = { id: "day-test-librarian", libraryId: DAY_LIBRARY.id, email: "dan@day-test.example", displayName: "Dan", role: "librarian" };

/** The monitor's layout on a laptop (test/browser/monitor-day.test.ts): its patrons may be left waiting. */
export const LAYOUT_LIBRARY = { ...KEYBOARD_LIBRARY, id: "layout-test", name: "Layout Test Library", contactEmail: "ask@layout-test.example" };
export const LAYOUT_FORM = { ...KEYBOARD_FORM, id: "layout-test-chat", libraryId: LAYOUT_LIBRARY.id, queueId: `lib:${LAYOUT_LIBRARY.id}`, title: "Ask the layout test library" };
export const LAYOUT_LIBRARIAN = { id: "layout-test-librarian", libraryId: LAYOUT_LIBRARY.id, email: "lee@layout-test.example", displayName: "Lee", role: "librarian" };

/** Notifications and shift alerts (test/browser/monitor-day.test.ts): its group administrator makes a cooperative and its schedule. */
export const ALERT_LIBRARY = { ...KEYBOARD_LIBRARY, id: "alert-test", name: "Alert Test Library", contactEmail: "ask@alert-test.example" };
export const ALERT_FORM = { ...KEYBOARD_FORM, id: "alert-test-chat", libraryId: ALERT_LIBRARY.id, queueId: `lib:${ALERT_LIBRARY.id}`, title: "Ask the alert test library" };
export const ALERT_ADMIN = { id: "alert-test-admin", libraryId: ALERT_LIBRARY.id, email: "gil@alert-test.example", displayName: "Gil", role: "group_admin" };
export const ALERT_LIBRARIAN = { id: "alert-test-librarian", libraryId: ALERT_LIBRARY.id, email: "nia@alert-test.example", displayName: "Nia", role: "librarian" };

/** Consults and direct messages (test/browser/consults-and-talk.test.ts): three librarians of one library. */
export const TALK_LIBRARY = { ...KEYBOARD_LIBRARY, id: "talk-test", name: "Talk Test Library", contactEmail: "ask@talk-test.example" };
export const TALK_FORM = { ...KEYBOARD_FORM, id: "talk-test-chat", libraryId: TALK_LIBRARY.id, queueId: `lib:${TALK_LIBRARY.id}`, title: "Ask the talk test library" };
export const TALK_OWNER = { id: "talk-test-owner", libraryId: TALK_LIBRARY.id, email: "tia@talk-test.example", displayName: "Tia", role: "librarian" };
export const TALK_HELPER = { id: "talk-test-helper", libraryId: TALK_LIBRARY.id, email: "hal@talk-test.example", displayName: "Hal", role: "librarian" };
export const TALK_WATCHER = { id: "talk-test-watcher", libraryId: TALK_LIBRARY.id, email: "wes@talk-test.example", displayName: "Wes", role: "librarian" };
/**
 * Patrons in their own language (test/browser/languages.test.ts): a library
 * whose form offers English and Spanish, carried by public/demo/languages-test/,
 * and one whose form offers English, French and Arabic.
 */
export const LANGUAGE_LIBRARY = { ...KEYBOARD_LIBRARY, id: "language-test", name: "Language Test Library", contactEmail: "ask@language-test.example" };
export const SPANISH_FORM = {
  ...KEYBOARD_FORM,
  id: "language-test-chat",
  libraryId: LANGUAGE_LIBRARY.id,
  queueId: `lib:${LANGUAGE_LIBRARY.id}`,
  title: "Ask the language test library",
  languages: ["en", "es"],
  defaultLanguage: "en",
  translations: { es: { title: "Pregunte a la biblioteca de prueba" } },
};
export const LANGUAGE_LIBRARIAN = { id: "language-test-librarian", libraryId: LANGUAGE_LIBRARY.id, email: "luz@language-test.example", displayName: "Luz", role: "librarian" };
export const ARABIC_LIBRARY = { ...KEYBOARD_LIBRARY, id: "arabic-test", name: "Arabic Test Library", contactEmail: "ask@arabic-test.example" };
export const ARABIC_FORM = {
  ...KEYBOARD_FORM,
  id: "arabic-test-chat",
  libraryId: ARABIC_LIBRARY.id,
  queueId: `lib:${ARABIC_LIBRARY.id}`,
  title: "Ask the Arabic test library",
  intro: "Research help.",
  fields: [{ id: "affiliation", label: "Affiliation", kind: "select", required: true, options: ["Student", "Faculty"] }],
  languages: ["en", "fr", "ar"],
  defaultLanguage: "en",
  translations: { ar: { title: "اسأل مكتبة الاختبار", intro: "مساعدة بحثية.", fields: { affiliation: { label: "صفتك" } } } },
};
export const ARABIC_LIBRARIAN = { id: "arabic-test-librarian", libraryId: ARABIC_LIBRARY.id, email: "amal@arabic-test.example", displayName: "أمل", role: "librarian" };

/** Files in chats (test/browser/chat-files.test.ts): a library of its own, with a test site carrying its Qwidget (public/demo/files-test/). */
export const FILES_LIBRARY = { ...KEYBOARD_LIBRARY, id: "files-test", name: "Files Test Library", contactEmail: "ask@files-test.example" };
export const FILES_FORM = { ...KEYBOARD_FORM, id: "files-test-chat", libraryId: FILES_LIBRARY.id, queueId: `lib:${FILES_LIBRARY.id}`, title: "Ask the files test library" };
export const FILES_LIBRARIAN = { id: "files-test-librarian", libraryId: FILES_LIBRARY.id, email: "fay@files-test.example", displayName: "Fay", role: "librarian" };

export const TEST_FIXTURES = {
  libraries: [KEYBOARD_LIBRARY, COBROWSE_LIBRARY, DISPLAY_LIBRARY, DAY_LIBRARY, LAYOUT_LIBRARY, ALERT_LIBRARY, TALK_LIBRARY, LANGUAGE_LIBRARY, ARABIC_LIBRARY, FILES_LIBRARY],
  librarians: [KEYBOARD_LIBRARIAN, LOCKOUT_LIBRARIAN, COBROWSE_LIBRARIAN, DISPLAY_LIBRARIAN, DAY_ADMIN, DAY_LIBRARIAN, LAYOUT_LIBRARIAN, ALERT_ADMIN, ALERT_LIBRARIAN, TALK_OWNER, TALK_HELPER, TALK_WATCHER, LANGUAGE_LIBRARIAN, ARABIC_LIBRARIAN, FILES_LIBRARIAN],
  forms: [KEYBOARD_FORM, COBROWSE_FORM, DISPLAY_FORM, DAY_FORM, LAYOUT_FORM, ALERT_FORM, TALK_FORM, SPANISH_FORM, ARABIC_FORM, FILES_FORM],
};
