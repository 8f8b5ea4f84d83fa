/**
 * Whether a library uses descriptive codes at the end of a chat: not at all,
 * when the librarian wants (the default), or always — at least one, never more
 * than MAX_DESCRIPTIVE_CODES. The end-of-chat dialog follows the setting and
 * `POST /api/chats/:id/end` enforces it (src/routes/chats.ts).
 */
import { MAX_DESCRIPTIVE_CODES } from "./codes";

export const DESCRIPTIVE_CODES_MODES = ["off", "optional", "required"] as const;
export type DescriptiveCodesMode = (typeof DESCRIPTIVE_CODES_MODES)[number];

export const DESCRIPTIVE_CODES_MODE_LABELS: Record<DescriptiveCodesMode, string> = {
  off: "Off: librarians do not choose descriptive codes",
  optional: `Optional: up to ${MAX_DESCRIPTIVE_CODES} when the librarian wants`,
  required: `Required: at least 1 and at most ${MAX_DESCRIPTIVE_CODES} on every chat`,
};

/** A stored mode as one of the modes (anything unknown reads as the default). */
export function codesModeOf(stored: string | null | undefined): DescriptiveCodesMode {
  return (DESCRIPTIVE_CODES_MODES as readonly string[]).includes(stored ?? "") ? (stored as DescriptiveCodesMode) : "optional";
}

/** What is wrong with ending a chat with `count` descriptive codes under `mode`, or null. */
export function codesCountProblem(mode: DescriptiveCodesMode, count: number): string | null {
  if (mode === "off" && count > 0) return "This library does not use descriptive codes: end the chat without them";
  if (mode === "required" && count === 0) return "Choose at least one descriptive code: this library requires them";
  if (count > MAX_DESCRIPTIVE_CODES) return `Choose at most ${MAX_DESCRIPTIVE_CODES} descriptive codes`;
  return null;
}
