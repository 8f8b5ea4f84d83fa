/**
 * The patron's current Qwidget chat, kept in the library site's localStorage so
 * it survives page loads and every tab of the site finds it. One key, prefixed,
 * so it cannot collide with the site's own storage.
 */
export const CHAT_RECORD_KEY = "refdesk-qwidget";

export interface ChatRecord {
  sessionId: string;
  token: string;
  /** Whether the panel was open, so the next page shows it the same way. */
  open: boolean;
}

export function readRecord(): ChatRecord | null {
  try {
    return JSON.parse(localStorage.getItem(CHAT_RECORD_KEY) ?? "null") as ChatRecord | null;
  } catch {
    return null;
  }
}

export function writeRecord(record: ChatRecord): void {
  try {
    localStorage.setItem(CHAT_RECORD_KEY, JSON.stringify(record));
  } catch {
    // Storage blocked (private modes): the chat still works until the page changes.
  }
}

export function forgetRecord(): void {
  try {
    localStorage.removeItem(CHAT_RECORD_KEY);
  } catch {
    // Nothing stored.
  }
}
