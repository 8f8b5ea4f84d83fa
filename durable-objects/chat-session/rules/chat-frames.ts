/**
 * Rules for what the people in a chat send on their sockets: who may write
 * now, the patron's transcript choice and browser report.
 */
import type { Refusal } from "../../../src/objects/contracts";
import type { BrowserReport } from "../../../src/shared/protocol";
import { isInChat, isOver, type SessionState } from "../session-state";
import type { Sender } from "./cobrowse";
import { SESSION_CAPS } from "../../../src/shared/limits";
import { decide, refuse, type Decision, type Verdict } from "./decision";

/** Whether this sender may add a message now: the patron while waiting or chatting, the serving librarian while chatting. */
export function writeRefusal(s: SessionState, from: Sender): Refusal | null {
  const patronMay = from.role === "patron" && (s.status === "waiting" || s.status === "active");
  const librarianMay = from.role === "librarian" && s.status === "active" && isInChat(s, from.librarian.id);
  if (patronMay || librarianMay) return null;
  return isOver(s) ? refuse("session_ended", "This chat has ended.") : refuse("not_active", "This chat is not open for messages now.");
}

/**
 * The patron turns the e-mailed transcript on or off during the chat. Turning
 * it on needs an address; one given here replaces the one given when asking.
 * Filing reads the choice from state, so whatever is set when the chat ends wins.
 */
export function chooseTranscript(s: SessionState, from: Sender, send: boolean, email: string | null): Verdict {
  if (from.role !== "patron") return refuse("forbidden", "Only the patron chooses whether to get the transcript.");
  if (s.status !== "waiting" && s.status !== "active") return refuse("session_ended", "This chat has ended; the transcript choice can no longer change.");
  const patronEmail = send ? (email ?? s.patronEmail) : s.patronEmail;
  if (send && !patronEmail) return refuse("validation_failed", "Enter the e-mail address to send the transcript to.", { field: "email" });
  const next = { ...s, transcriptOptOut: !send, patronEmail };
  // The D1 row only needs to agree before filing (which rewrites it), so the mirror may wait a little and coalesce.
  return decide(next, [{ kind: "transcript" }], [{ kind: "mirror", patch: { transcriptOptOut: next.transcriptOptOut, patronEmail }, urgency: "soon" }]);
}

/** What the patron's browser can do; the librarians see the judged check when it changes. */
export function reportBrowser(s: SessionState, from: Sender, report: BrowserReport): Verdict {
  if (from.role !== "patron") return refuse("forbidden", "Only the patron's browser reports what it can do.");
  if (JSON.stringify(s.browser ?? null) === JSON.stringify(report)) return decide(s);
  return decide({ ...s, browser: report }, [{ kind: "check" }]);
}

/** The page the patron's chat runs in (the Qwidget's site), as the patron's socket says on hello. */
export function notePatronOrigin(s: SessionState, origin: string | null): Decision {
  return (s.patronOrigin ?? null) === origin ? decide(s) : decide({ ...s, patronOrigin: origin });
}

/**
 * Whether the log has room for one more message of `bytes` (SESSION_CAPS):
 * people's messages stop at the caps; system lines may go a little past them.
 */
export function logHasRoom(size: { messages: number; bytes: number }, bytes: number, by: "person" | "system"): boolean {
  const extra = by === "system" ? { messages: SESSION_CAPS.systemMessages, bytes: SESSION_CAPS.systemBytes } : { messages: 0, bytes: 0 };
  return size.messages + 1 <= SESSION_CAPS.messages + extra.messages && size.bytes + bytes <= SESSION_CAPS.textBytes + extra.bytes;
}

/** The log is full: both sides are told once, in the transcript. */
export function logFilled(s: SessionState): Decision {
  if (s.logFull) return decide(s);
  return decide({ ...s, logFull: true }, [{ kind: "line", line: { key: "logFull" } }]);
}

/** What a person is told when their message does not fit. */
export const LOG_FULL_MESSAGE = "This chat has reached its length limit; your message was not added.";
