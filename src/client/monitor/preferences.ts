/**
 * What the monitor remembers per librarian in this browser (localStorage):
 * the queues they monitor, their shift status, whether the sound is muted,
 * whether desktop notifications are on, which side panels are open, the
 * colleagues' chats they are helping in (the server lists only chats they own).
 * Drafts of unsent messages and the chat tab on show live in sessionStorage (this tab only).
 */
export const SHIFT_STATUSES = ["online", "busy", "away", "offline"] as const;
export type ShiftStatus = (typeof SHIFT_STATUSES)[number];

export const SHIFT_STATUS_LABELS: Record<ShiftStatus, string> = {
  online: "Online — taking chats",
  busy: "Busy — internal work",
  away: "Away",
  offline: "Offline — not monitoring",
};

function read<T>(key: string, check: (v: unknown) => v is T): T | null {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(key) ?? "null");
    return check(value) ? value : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Private mode or full storage: the choice lasts until the page closes.
  }
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");
const isStatus = (v: unknown): v is ShiftStatus => typeof v === "string" && (SHIFT_STATUSES as readonly string[]).includes(v);
const isBoolean = (v: unknown): v is boolean => typeof v === "boolean";

export const preferences = {
  monitoring: (librarianId: string) => read(`refdesk.monitoring.${librarianId}`, isStringArray),
  setMonitoring: (librarianId: string, queueIds: string[]) => write(`refdesk.monitoring.${librarianId}`, queueIds),
  status: (librarianId: string) => read(`refdesk.status.${librarianId}`, isStatus),
  setStatus: (librarianId: string, status: ShiftStatus) => write(`refdesk.status.${librarianId}`, status),
  muted: (librarianId: string) => read(`refdesk.muted.${librarianId}`, isBoolean) ?? false,
  setMuted: (librarianId: string, muted: boolean) => write(`refdesk.muted.${librarianId}`, muted),
  consults: (librarianId: string) => read(`refdesk.consults.${librarianId}`, isStringArray) ?? [],
  setConsults: (librarianId: string, sessionIds: string[]) => write(`refdesk.consults.${librarianId}`, sessionIds),
  /** Desktop notifications turned on in the monitor (the browser's permission is separate). */
  notify: (librarianId: string) => read(`refdesk.notify.${librarianId}`, isBoolean) ?? false,
  setNotify: (librarianId: string, on: boolean) => write(`refdesk.notify.${librarianId}`, on),
  /** Which side panels are open: the patron's details, the staff chat (open at first), direct messages (folded at first, to leave the waiting list its room). */
  panel: (librarianId: string, name: "details" | "staff" | "direct") => read(`refdesk.panel.${name}.${librarianId}`, isBoolean) ?? name !== "direct",
  setPanel: (librarianId: string, name: "details" | "staff" | "direct", open: boolean) => write(`refdesk.panel.${name}.${librarianId}`, open),
};

/** The chat tab last shown in this browser tab, so a reload comes back to it. */
export const activeChat = {
  get(): string | null {
    try {
      return sessionStorage.getItem("refdesk.activeChat");
    } catch {
      return null;
    }
  },
  set(sessionId: string): void {
    try {
      sessionStorage.setItem("refdesk.activeChat", sessionId);
    } catch {
      // As above.
    }
  },
};

/** Unsent text per chat, kept across a reload of this tab. */
export const drafts = {
  get(sessionId: string): string {
    try {
      return sessionStorage.getItem(`refdesk.draft.${sessionId}`) ?? "";
    } catch {
      return "";
    }
  },
  set(sessionId: string, text: string): void {
    try {
      if (text) sessionStorage.setItem(`refdesk.draft.${sessionId}`, text);
      else sessionStorage.removeItem(`refdesk.draft.${sessionId}`);
    } catch {
      // As above.
    }
  },
};
