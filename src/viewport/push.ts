/**
 * Pushing a page: where it opens for the patron and the line the transcript
 * keeps. One place for the rule, used by the push route: the viewport when the
 * form has one, the patron's page can show frames, and the page allows it;
 * otherwise a new window, with the reason said in the chat.
 */
import type { ChatMethod } from "../shared/admin-limits";
import type { PushedPage } from "../shared/protocol";
import type { FramingResult } from "./framing-check";

export interface PushTarget {
  chatMethod: ChatMethod;
  /** What the patron's browser reported about frames (null: not reported, or no viewport to try). */
  framingWorks: boolean | null;
}

/** Whether a framing check is worth running: only when the page could go to a viewport at all. */
export function viewportPossible(target: PushTarget): boolean {
  return target.chatMethod === "viewport" && target.framingWorks !== false;
}

export const NO_VIEWPORT_REASON = "this chat has no viewport";
export const FRAMES_BLOCKED_REASON = "the page you are on does not let other pages be shown inside it";

/** Where the pushed page opens, given the form, the patron's report and the framing check (null when not run). */
export function decidePush(url: string, title: string | null, target: PushTarget, check: FramingResult | null): PushedPage {
  if (target.chatMethod !== "viewport") return { url, title, display: "window", reason: NO_VIEWPORT_REASON };
  if (target.framingWorks === false) return { url, title, display: "window", reason: FRAMES_BLOCKED_REASON };
  if (!check || !check.framable) return { url, title, display: "window", reason: check?.reason ?? "the page could not be checked" };
  return { url, title, display: "viewport", reason: null };
}

/** The transcript line for a push: what the patron, the librarian and the e-mailed transcript all read. */
export function pushLine(p: PushedPage): string {
  const page = p.title ? `${p.title} — ${p.url}` : p.url;
  return p.display === "viewport" ? `Page shown beside the chat: ${page}` : `Page opened in a new window (${p.reason}): ${page}`;
}
