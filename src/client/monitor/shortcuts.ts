/**
 * The monitor's keyboard shortcuts: one table, used by the key handler, the
 * help dialog and every control's aria-keyshortcuts, so they cannot disagree.
 *
 * Actions use Alt+Shift+letter: plain Alt+letter opens browser menus (Alt+E,
 * Alt+F) or the address bar (Alt+D), and Alt+digit switches browser tabs on
 * Linux. Keys are matched by physical key (`code`), so Option+Shift on a Mac
 * works although it types other characters. "?" opens help from anywhere but
 * a text field.
 */

export type ShortcutId =
  | "help"
  | "accept"
  | "chat-n"
  | "next-unread"
  | "message"
  | "link"
  | "push"
  | "cobrowse"
  | "scripts"
  | "transfer"
  | "end"
  | "details"
  | "staff"
  | "waiting"
  | "status"
  | "sound";

export interface Shortcut {
  id: ShortcutId;
  /** As shown to people. */
  label: string;
  /** As aria-keyshortcuts wants it (for "chat-n", the first of the range). */
  aria: string;
  description: string;
  /** The physical key (KeyboardEvent.code) with Alt+Shift; absent for "?" and the digit range. */
  code?: string;
}

const altShift = (letter: string, id: ShortcutId, description: string): Shortcut => ({
  id,
  label: `Alt+Shift+${letter}`,
  aria: `Alt+Shift+${letter}`,
  description,
  code: `Key${letter}`,
});

export const SHORTCUTS: readonly Shortcut[] = [
  { id: "help", label: "?", aria: "?", description: "Show these keyboard shortcuts" },
  altShift("A", "accept", "Accept the patron who has waited longest"),
  { id: "chat-n", label: "Alt+Shift+1 … 9", aria: "Alt+Shift+1", description: "Go to open chat 1 to 9" },
  altShift("U", "next-unread", "Go to the next chat with unread messages"),
  altShift("M", "message", "Write in the current chat's message box"),
  altShift("L", "link", "Send a link to the patron"),
  altShift("P", "push", "Push a page to the patron"),
  altShift("B", "cobrowse", "Ask to see the patron's page (co-browse)"),
  altShift("C", "scripts", "Insert a canned message (script)"),
  altShift("R", "transfer", "Transfer the current chat"),
  altShift("E", "end", "End the current chat with codes"),
  altShift("D", "details", "Go to the patron's details"),
  altShift("S", "staff", "Write in the staff chat"),
  altShift("W", "waiting", "Go to the waiting patrons"),
  altShift("Q", "status", "Change your status"),
  altShift("N", "sound", "Turn the new-request sound on or off"),
];

/** The aria-keyshortcuts value of a shortcut. */
export function ariaKeys(id: ShortcutId): string {
  return SHORTCUTS.find((s) => s.id === id)!.aria;
}

export interface KeyLike {
  key: string;
  code: string;
  altKey: boolean;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

export type ShortcutMatch = { id: Exclude<ShortcutId, "chat-n"> } | { id: "chat-n"; index: number };

/** Which shortcut a key press is, if any. `inTextField`: focus is in a text input or textarea. */
export function matchShortcut(e: KeyLike, inTextField: boolean): ShortcutMatch | null {
  if (e.ctrlKey || e.metaKey) return null;
  if (e.key === "?" && !e.altKey && !inTextField) return { id: "help" };
  if (!e.altKey || !e.shiftKey) return null;
  const digit = /^Digit([1-9])$/.exec(e.code);
  if (digit) return { id: "chat-n", index: Number(digit[1]) - 1 };
  const hit = SHORTCUTS.find((s) => s.code === e.code);
  return hit && hit.id !== "chat-n" ? { id: hit.id } : null;
}
