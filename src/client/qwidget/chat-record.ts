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

/**
 * An anonymous id this browser sends with each new chat, so the library's
 * librarians see the patron's earlier chats without an e-mail address
 * (docs/privacy.md). A random number, kept in the site's storage, never a
 * cookie; "Forget this browser" clears it and stops new ones.
 */
const BROWSER_ID_KEY = "refdesk-browser";
const FORGOTTEN = "0";

export function browserId(): string | undefined {
  try {
    const id = (localStorage[BROWSER_ID_KEY] ||= crypto.randomUUID()) as string;
    return id === FORGOTTEN ? undefined : id;
  } catch {
    return undefined;
  }
}

/** Whether this browser is keeping an id (and so the patron may forget it). */
export function keepsBrowserId(): boolean {
  try {
    const id = localStorage.getItem(BROWSER_ID_KEY);
    return !!id && id !== FORGOTTEN;
  } catch {
    return false;
  }
}

export function forgetBrowserId(): void {
  try {
    localStorage.setItem(BROWSER_ID_KEY, FORGOTTEN);
  } catch {
    // Nothing stored.
  }
}

/** The patron's own choice of language in the widget, so the site's next page shows it too (the loader asks for it). */
export const LANGUAGE_KEY = "refdesk-qwidget-lang";
